# %% [markdown]
# # Bringing your own data: messy exports, column maps, validation, custom instruments
#
# Real study files are rarely in the shape a library expects. This notebook builds a typical
# clinic export (one row per patient, local column names, semicolons and decimal commas,
# Turkish characters, a few typing errors), then shows how msrelax_stats reads it: a column map
# for the names, the validation messages for everything that is wrong, and how to fix each one.
# It ends with an SPSS file and with a questionnaire that msrelax_stats does not know, defined as
# a spec.
#
# **All data here are synthetic**, generated in the notebook by `mrs.make_sample` and invented
# names; every file is written to a temporary folder, not into the repository.

# %% [markdown]
# ## Setup
#
# Imports and a temporary working folder.

# %%
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

import msrelax_stats as mrs
from msrelax_stats.instruments import load_instrument

pd.set_option("display.max_columns", 12)
pd.set_option("display.width", 140)
pd.set_option("display.max_colwidth", 60)
WORK = Path(tempfile.mkdtemp(prefix="msrelax_own_data_"))
print("working folder:", WORK)

# %% [markdown]
# ## 1. A messy export
#
# We start from a synthetic long table of 12 participants (FSS and PSQI items at visits `pre` and
# `post`) and turn it into what a hospital's system might export: one row per patient, Turkish
# column names (`Hasta No` = patient number, `ön` = before, `son` = after, `PUKİ` = the Turkish
# PSQI), a column of names, semicolons as separators, decimal commas, and the Windows-1254
# encoding. In your own work the file already exists; here we make one so that the notebook
# runs anywhere.

# %%
long = mrs.make_sample(n=12, seed=7)
items = [c for c in long.columns if c.startswith(("fss_", "psqi_")) and c != "psqi_5j_text"]
SUFFIX = {"pre": "ön", "post": "son"}


def export_name(item, visit):
    """Column name in the export, e.g. fss_3 at pre -> 'FSS3 ön', psqi_5a -> 'PUKİ5a ön'."""
    instrument, number = item.split("_", 1)
    return f"{'FSS' if instrument == 'fss' else 'PUKİ'}{number} {SUFFIX[visit]}"


wide = long.pivot(index="id", columns="time", values=items)
wide.columns = [export_name(item, visit) for item, visit in wide.columns]
people = long.drop_duplicates("id").set_index("id")[["age", "sex", "edss"]]
export = people.rename(columns={"age": "Yaş", "sex": "Cinsiyet", "edss": "EDSS"}).join(wide)
export = export.rename_axis("Hasta No").reset_index()
export.insert(1, "Ad Soyad", ["Ayşe Yılmaz", "Şükrü Öztürk", "Gül Çelik", "İsmail Doğan",
                              "Zeynep Şahin", "Ömer Güneş", "Elif Aydın", "Çağrı Koç",
                              "Hülya Arslan", "Oğuz Kılıç", "Sevgi Ünal", "Barış Erdoğan"])
export.iloc[:4, :9]

# %% [markdown]
# Now the mistakes that real data entry makes: an unanswered item typed as `-99`, a double
# keystroke (`44` for `4`), a bed time typed with a dot (`23.30`), and one patient entered twice.

# %%
export.loc[export["Hasta No"] == "P03", "FSS4 ön"] = -99
export.loc[export["Hasta No"] == "P06", "FSS7 son"] = 44
export.loc[export["Hasta No"] == "P09", "PUKİ1 ön"] = "23.30"
export = pd.concat([export, export[export["Hasta No"] == "P04"]], ignore_index=True)

raw_file = WORK / "klinik_export.csv"
export.to_csv(raw_file, sep=";", decimal=",", index=False, encoding="cp1254")
print(raw_file.read_bytes().decode("cp1254")[:300])

# %% [markdown]
# ## 2. First attempt: read it as it is
#
# `read_study` raises a single `StudyDataError` that carries *every* problem it found as a
# `Problem` (message, participant, visit, column, value, file). We catch it and print them. A
# small helper does that for the rest of the notebook.

# %%
def try_read(source, show=8, **options):
    """Read a study; on bad data print the problems (the first ``show``) and return None."""
    try:
        study = mrs.read_study(source, **options)
    except mrs.StudyDataError as error:
        print(f"{len(error.problems)} problem(s):")
        for problem in error.problems[:show]:
            print(" -", problem)
        if len(error.problems) > show:
            print(f" ... and {len(error.problems) - show} more")
        return None
    print(f"OK: {study['id'].nunique()} participants, {len(study)} rows, "
          f"{study.attrs['msrelax']['layout']} layout")
    return study


try_read(raw_file)

# %% [markdown]
# The semicolons, decimal commas and encoding were handled (the delimiter is sniffed, the
# encoding detected), but msrelax_stats cannot guess that `Hasta No` is the participant id or
# that `FSS4 ön` is item 4 of the FSS at the first visit.
#
# ## 3. A column map
#
# A column map says which of your columns is which canonical column. Item columns of a wide file
# map to `<item>_<visit>` (`fss_4_pre`). With 56 item columns we build the map in code; the
# same map can live in a TOML or JSON file next to the data (the command line takes
# `--column-map map.toml`).

# %%
column_map = {"Hasta No": "id", "Ad Soyad": "name", "Yaş": "age", "Cinsiyet": "sex",
              "EDSS": "edss"}
column_map |= {export_name(item, visit): f"{item}_{visit}" for item in items for visit in SUFFIX}

map_file = WORK / "column_map.toml"
lines = ["[columns]"]
lines += [f'"{theirs}" = "{ours}"' for theirs, ours in column_map.items()]
map_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
print("\n".join(lines[:9]), "\n...")

# %% [markdown]
# Second attempt, with the map file:

# %%
try_read(raw_file, column_map=map_file)

# %% [markdown]
# The structure is checked first: a participant and visit may appear only once, so the
# duplicated patient stops the reading before the answers are looked at.
#
# ## 4. Fixing the file, one problem at a time
#
# Fix the data in a copy of the export, with a record of each change, never by hand in the
# original. We read the export as plain text (every cell a string, so nothing is converted),
# drop the exact duplicate row and write a corrected file.

# %%
text = pd.read_csv(raw_file, sep=";", dtype=str, encoding="cp1254", keep_default_na=False)
duplicates = text.duplicated(keep="first")
print("exact duplicate rows removed:", text.loc[duplicates, "Hasta No"].tolist())
text = text[~duplicates]
fixed_file = WORK / "klinik_export_fixed.csv"
text.to_csv(fixed_file, sep=";", index=False, encoding="cp1254")
try_read(fixed_file, column_map=map_file)

# %% [markdown]
# Now every answer is checked, and each message names the participant, the visit, the column
# and the value. The same list as a table is easy to send back to the study nurse:

# %%
try:
    mrs.read_study(fixed_file, column_map=map_file)
except mrs.StudyDataError as error:
    problems = pd.DataFrame([problem.to_dict() for problem in error.problems])
problems.drop(columns="file")

# %% [markdown]
# Three different fixes:
#
# - `-99` is the export's code for "not answered". Declare it with `missing_codes=[-99]` (or a
#   line `missing_codes = [-99]` at the top of the map file): it becomes missing, and the FSS of
#   that visit is not scored (strict rule). An undeclared `-99` is never taken as a number.
# - `44` is a typing error; the paper form says 4. Correct the cell.
# - `23.30` is not a clock time msrelax_stats accepts (a dot could be hours and decimal hours);
#   write it as `23:30`.

# %%
corrections = pd.DataFrame([
    {"Hasta No": "P06", "column": "FSS7 son", "old": "44", "new": "4",
     "why": "double keystroke; paper form says 4"},
    {"Hasta No": "P09", "column": "PUKİ1 ön", "old": "23.30", "new": "23:30",
     "why": "clock time typed with a dot"},
])
for fix in corrections.itertuples():
    row = text["Hasta No"] == fix[1]
    if not (text.loc[row, fix.column] == fix.old).all():
        raise ValueError(f"unexpected value in {fix.column} of {fix[1]}")
    text.loc[row, fix.column] = fix.new
text.to_csv(fixed_file, sep=";", index=False, encoding="cp1254")
corrections

# %% [markdown]
# Third attempt: the corrected file, with `-99` declared as the missing code. It reads cleanly.

# %%
study = try_read(fixed_file, column_map=map_file, missing_codes=[-99])
study[["id", "time", "name", "age", "edss", "fss_4", "psqi_1", "psqi_4"]].head(6)

# %% [markdown]
# The wide rows became one row per participant per visit, the Turkish names survived the
# Windows-1254 decoding, and decimal commas in questionnaire items became numbers (`PUKİ4` hours
# of sleep `6,5` is 6.5). Columns that are not questionnaire items, like `edss`, are kept as they
# were read (text); convert them yourself when you need them:

# %%
study["edss"] = pd.to_numeric(study["edss"].str.replace(",", ".", regex=False))
study.groupby("time", observed=True)["edss"].describe()

# %% [markdown]
# Anything accepted with a remark is listed in the table's notes; here, that the file was not
# UTF-8:

# %%
study.attrs["msrelax"]["notes"]

# %% [markdown]
# The clean table goes on as in notebook 01.

# %%
scored = mrs.score(study)
result = mrs.compare(scored, outcomes=["fss_mean", "psqi_global"], n_boot=2000, seed=1)
print(result.exclusions.to_string(index=False))
result.table[["outcome", "n", "pre_mean", "post_mean", "diff_mean", "p_t", "d_z"]].round(3)

# %% [markdown]
# ### The same checks from a terminal
#
# `python -m msrelax_stats validate` prints the same problems, one `error:` line each, and
# exits with status 2 (0 when the file is clean), so it can guard a data pipeline. Run on the
# original export with the map, it stops at the duplicated patient, like `read_study` in
# section 3 (`sys.executable` is this notebook's Python).

# %%
completed = subprocess.run(
    [sys.executable, "-m", "msrelax_stats", "validate", str(raw_file),
     "--column-map", str(map_file), "--missing-codes", "-99"],
    capture_output=True, text=True, check=False,
)
print("exit status", completed.returncode)
print(completed.stdout + completed.stderr)

# %% [markdown]
# ## 5. An SPSS file
#
# SPSS exports differ in two ways. Missing-value codes can be declared *in the file*
# (user-missing values), and msrelax_stats then treats them as missing without being told.
# Visits are often numeric codes with value labels (1 = "pre", 2 = "post"); value labels never
# replace the codes, so the data stay exactly what was entered. We write such a file with
# pyreadstat.

# %%
sav = long[["id", "time", "age", "sex", "edss", *items]].copy()
sav["time"] = sav["time"].map({"pre": 1, "post": 2})
numeric = [c for c in sav.columns if c not in ("id", "sex", "psqi_1", "psqi_3")]
sav[numeric] = sav[numeric].astype("float64")
for column in ("id", "sex", "psqi_1", "psqi_3"):
    sav[column] = sav[column].astype(object).where(sav[column].notna(), "")
sav.loc[(sav["id"] == "P05") & (sav["time"] == 1), "fss_2"] = -99  # user-missing, see below
sav_file = WORK / "pmr_export.sav"
pyreadstat.write_sav(sav, sav_file, variable_value_labels={"time": {1: "pre", 2: "post"}},
                     missing_ranges={"fss_2": [-99]})
try_read(sav_file, show=3)

# %% [markdown]
# The visits are the codes `1` and `2`, not the labels. Name the visits by their codes (the
# first is the baseline), and compare those visits.

# %%
sav_study = try_read(sav_file, visits=["1", "2"])
sav_scored = mrs.score(sav_study)
print("P05's fss_2 at visits 1 and 2 (-99 declared user-missing in SPSS):",
      sav_study.loc[sav_study["id"] == "P05", "fss_2"].tolist())
sav_result = mrs.compare(sav_scored, outcomes=["fss_mean"], visits=("1", "2"), n_boot=2000)
sav_result.table[["outcome", "n", "pre_mean", "post_mean", "diff_mean", "p_t"]].round(3)

# %% [markdown]
# ## 6. A questionnaire msrelax_stats does not know
#
# Any questionnaire that is a sum or mean of items, with reverse-keyed items, cut-offs and bands,
# can be described as a spec (a dict, or a TOML file with the same keys; see the docstring of
# `msrelax_stats.instruments.spec`). As an example, the **Fatigue Assessment Scale** (FAS;
# Michielsen et al. 2003): ten items answered 1-5, items 4 and 10 reverse-keyed, total 10-50,
# 22 or more meaning fatigue and 35 or more extreme fatigue. The MCID of 4 points comes from
# sarcoidosis (de Kleijn et al. 2011), not MS, and the spec says so.

# %%
fas = {
    "name": "fas",
    "title": "Fatigue Assessment Scale",
    "items": 10,
    "min": 1,
    "max": 5,
    "reverse": [4, 10],
    "better": "lower",
    "citation": "Michielsen HJ, De Vries J, Van Heck GL. J Psychosom Res 2003;54(4):345-352.",
    "scores": [{"name": "fas_total", "method": "sum", "label": "FAS total", "mcid": 4,
                "mcid_source": "de Kleijn 2011 (sarcoidosis, not MS)"}],
    "cutoffs": [{"name": "fas_fatigued", "score": "fas_total", "op": ">=", "value": 22}],
    "bands": [{"name": "fas_band", "score": "fas_total", "lower": [10, 22, 35],
               "labels": ["no fatigue", "fatigue", "extreme fatigue"]}],
}
spec = load_instrument(fas)
print(spec.title, "- items", spec.item_columns[0], "...", spec.item_columns[-1],
      "- reverse-keyed:", spec.reverse)

# %% [markdown]
# We add synthetic FAS answers (`fas_1` ... `fas_10`, somewhat lower after the intervention) to
# the clean study, and score it with the custom instrument beside the built-in ones.

# %%
rng = np.random.default_rng(7)
level = np.where(study["time"] == "pre", 3.2, 2.6)
answers = np.clip(np.rint(level[:, None] + rng.normal(0, 0.9, (len(study), 10))), 1, 5)
answers[:, [3, 9]] = 6 - answers[:, [3, 9]]  # items 4 and 10 are worded positively
with_fas = study.assign(**{f"fas_{k}": answers[:, k - 1] for k in range(1, 11)})

scored_fas = mrs.score(with_fas, custom=[fas])
scored_fas[["id", "time", "fas_total", "fas_fatigued", "fas_band", "fas_n_answered"]].head(4)

# %% [markdown]
# Once scored, the custom instrument is an outcome like any other: it gets a row in the results
# table, a caseness row for its cut-off and a responder row for its MCID.

# %%
fas_result = mrs.compare(scored_fas, outcomes=["fss_mean", "fas_total"], n_boot=2000, seed=1)
print(fas_result.table[["outcome", "n", "diff_mean", "p_t", "d_z"]].round(3).to_string())
fas_result.responders[["outcome", "n", "mcid", "responders", "proportion", "source"]]

# %% [markdown]
# The same spec as a TOML file, the form to keep next to the data and to give the command line
# (`python -m msrelax_stats analyze data.csv --instrument-spec fas.toml`); `load_instrument`
# reads it back into the same spec.

# %%
fas_toml = WORK / "fas.toml"
fas_toml.write_text("""\
name = "fas"
title = "Fatigue Assessment Scale"
items = 10
min = 1
max = 5
reverse = [4, 10]
better = "lower"
citation = "Michielsen HJ, De Vries J, Van Heck GL. J Psychosom Res 2003;54(4):345-352."

[[scores]]
name = "fas_total"
method = "sum"
label = "FAS total"
mcid = 4
mcid_source = "de Kleijn 2011 (sarcoidosis, not MS)"

[[cutoffs]]
name = "fas_fatigued"
score = "fas_total"
op = ">="
value = 22

[[bands]]
name = "fas_band"
score = "fas_total"
lower = [10, 22, 35]
labels = ["no fatigue", "fatigue", "extreme fatigue"]
""", encoding="utf-8")
print("same spec as the dict:", load_instrument(fas_toml) == spec)
sorted(path.name for path in WORK.iterdir())
