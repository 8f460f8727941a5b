"""Table 2 (msrelax_stats.report.tables) and its writers (report.formats) and the APA number formatting.

Expected strings are hand-formatted from the input rows below by the rules written beside
each test (APA 7th ed. 6.36 for p; rounding half-even of Python's format for the rest).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statistics_columns import STATISTICS_MD as COLUMNS

import msrelax_stats as mrs
from msrelax_stats.data.safe import latex_escape
from msrelax_stats.figures._format import fmt_ci, fmt_num, fmt_p
from msrelax_stats.report.formats import latex_cell, to_csv, to_html, to_latex, to_markdown
from msrelax_stats.report.tables import table2


def results_table() -> pd.DataFrame:
    """Two outcomes written by hand with every STATISTICS.md column."""
    fss = dict(outcome="fss_mean", n=31, better="lower", pre_mean=5.2049, pre_sd=0.9012,
               post_mean=4.4, post_sd=1.0, pre_median=5.1, post_median=4.3, diff_mean=-0.8049,
               diff_sd=0.87, diff_ci_low=-1.1, diff_ci_high=-0.5, t=-5.1, df=30.0, p_t=0.00002,
               w_plus=12.0, p_wilcoxon=0.00031, wilcoxon_method="exact", p_sign=0.0004,
               hl_shift=-0.78, hl_ci_low=-1.05, hl_ci_high=-0.5, shapiro_w=0.971,
               shapiro_p=0.55, d_z=-0.92, d_z_ci_low=-1.34, d_z_ci_high=-0.5, d_av=-0.84,
               g_av=-0.83, g_av_ci_low=-1.2, g_av_ci_high=-0.5, r_pre_post=0.6,
               rank_biserial=-0.9, rank_biserial_ci_low=-0.96, rank_biserial_ci_high=-0.78,
               bf10=2500.0, p_holm=0.00004, p_fdr=0.00004, ci_level=0.95, seed=1)  # fmt: skip
    psqi = dict(fss, outcome="psqi_global", pre_mean=10.0, pre_sd=3.456, post_mean=9.996,
                post_sd=3.1, diff_mean=-0.004, diff_ci_low=-0.9, diff_ci_high=0.892, t=-0.01,
                df=29.0, p_t=0.0321, w_plus=212.5, p_wilcoxon=0.04449, d_z=-0.004,
                d_z_ci_low=-0.36, d_z_ci_high=0.35, p_holm=0.0642, p_fdr=0.0321)  # fmt: skip
    return pd.DataFrame([fss, psqi], columns=COLUMNS)


def test_fmt_p_apa_rules():
    # APA: three decimals, no leading zero, "< .001" below .001, "> .999" when it rounds to 1.
    assert fmt_p(0.00002) == "< .001"
    assert fmt_p(0.00099) == "< .001"
    assert fmt_p(0.001) == ".001"
    assert fmt_p(0.0321) == ".032"
    assert fmt_p(0.0449) == ".045"
    assert fmt_p(0.5) == ".500"
    assert fmt_p(0.99995) == "> .999"
    assert fmt_p(np.nan) == "n/a"
    assert fmt_p(0.04, prefix=True) == "p = .040"
    assert fmt_p(1e-9, prefix=True) == "p < .001"


def test_fmt_num_keeps_sign_and_drops_negative_zero():
    assert fmt_num(-0.8049) == "-0.80"
    assert fmt_num(-0.004) == "0.00"  # rounds to zero: no "-0.00"
    assert fmt_num(-0.006) == "-0.01"
    assert fmt_num(None) == "n/a"
    assert fmt_ci(-1.1, -0.5) == "[-1.10, -0.50]"


def test_table2_columns_and_cells():
    table = table2(results_table())
    assert list(table.columns) == [
        "Outcome", "n", "Pre mean (SD)", "Post mean (SD)", "Change [95 % CI]", "Test", "p",
        "p (Holm)", "d_z [95 % CI]",
    ]  # fmt: skip
    fss = table.iloc[0].to_dict()
    assert fss == {
        "Outcome": "FSS mean",
        "n": "31",
        "Pre mean (SD)": "5.20 (0.90)",
        "Post mean (SD)": "4.40 (1.00)",
        "Change [95 % CI]": "-0.80 [-1.10, -0.50]",
        "Test": "t(30) = -5.10",
        "p": "< .001",
        "p (Holm)": "< .001",
        "d_z [95 % CI]": "-0.92 [-1.34, -0.50]",
    }
    psqi = table.iloc[1]
    assert psqi["Change [95 % CI]"] == "0.00 [-0.90, 0.89]"
    assert psqi["p"] == ".032"
    assert psqi["Test"] == "t(29) = -0.01"
    assert table.attrs["outcomes"] == ["fss_mean", "psqi_global"]


def test_table2_wilcoxon_primary_and_holm_column():
    table = table2(results_table(), primary="wilcoxon")
    # R's V = sum of positive ranks; 212.5 has a tie-split half rank and keeps one decimal.
    assert list(table["Test"]) == ["V = 12", "V = 212.5"]
    assert list(table["p"]) == ["< .001", ".044"]
    assert list(table["p (Holm)"]) == ["< .001", ".064"]


def test_table2_ci_level_in_headers_and_decimals():
    results = results_table().assign(ci_level=0.9)
    table = table2(results, decimals=1)
    assert "Change [90 % CI]" in table.columns and "d_z [90 % CI]" in table.columns
    assert table.iloc[0]["Pre mean (SD)"] == "5.2 (0.9)"


def test_table2_rejects_unknown_primary():
    with pytest.raises(ValueError, match="primary"):
        table2(results_table(), primary="anova")


def test_to_markdown_exact():
    table = pd.DataFrame({"Outcome": ["A|B"], "p": ["< .001"], "d": ["-0.80"]})
    assert to_markdown(table) == (
        "| Outcome | p | d |\n| :--- | ---: | ---: |\n| A\\|B | \\< .001 | -0.80 |\n"
    )


def test_latex_escape_specials_and_minus():
    assert latex_escape("a & b_1 50% $x #2 {y} ~ ^") == (
        r"a \& b\_1 50\% \$x \#2 \{y\} \textasciitilde{} \textasciicircum{}"
    )
    assert latex_escape("back\\slash") == r"back\textbackslash{}slash"
    assert latex_escape("< .001") == r"\textless{} .001"
    assert latex_escape("-0.80 [-1.10, -.5]") == "$-$0.80 [$-$1.10, $-$.5]"
    assert latex_escape("points, 1-7; MFIS-5") == "points, 1-7; MFIS-5"  # hyphens stay
    # Table 1's headers hold "(n = 32)" together with no-break spaces: LaTeX's ties
    assert latex_cell("Overall (n\u00a0=\u00a032)") == "Overall (\\textit{n}~=~32)"


def test_to_latex_whole_table():
    text = to_latex(table2(results_table()), caption="Table 2. Pre/post & more")
    head, body = text.split("\\begin{", 1)
    assert all(line.startswith("%") for line in head.splitlines())  # the packages, commented
    assert {"booktabs", "graphicx", "rotating"} <= set(re.findall(r"usepackage\{(\w+)\}", head))
    # 9 columns of Table 2 are wider than A4 portrait: a landscape table, no own number
    assert body.startswith("sidewaystable}\n\\centering\n\\caption{Pre/post \\& more}\n")
    assert "\\toprule" in text and "\\bottomrule" in text and "\\begin{tabular}{lrrrrrrrr}" in text
    assert (
        "FSS mean & 31 & 5.20 (0.90) & 4.40 (1.00) & $-$0.80 [$-$1.10, $-$0.50] & "
        "\\textit{t}(30) = $-$5.10 & \\textless{} .001 & \\textless{} .001 & "
        "$-$0.92 [$-$1.34, $-$0.50] \\\\"
    ) in text
    assert "\\textit{n} & Pre mean (\\textit{SD})" in text and "\\textit{p} (Holm)" in text
    assert "$d_z$ [95 \\% CI]" in text and "Change [95 \\% CI]" in text


def test_to_latex_narrow_table_stays_portrait_with_its_note():
    frame = pd.DataFrame({"Outcome": ["FSS"], "p": ["< .001"], "V": ["V = 12"]})
    text = to_latex(frame, caption="Small", notes=["V: sum of positive ranks (R's V)."])
    assert "\\begin{table}[htbp]" in text and "\\begin{sidewaystable}" not in text
    assert "\\begin{tabular}{lrr}" in text and "\\textit{V} = 12" in text
    assert "{\\footnotesize\\raggedright\\textit{Note.} V: sum of positive ranks" in text


PDFLATEX = shutil.which("pdflatex")


@pytest.mark.skipif(not (PDFLATEX and shutil.which("pdftotext")), reason="pdflatex absent")
def test_tables_compile_in_a_bare_article_on_a4(tmp_path):
    # Table 1 of the sample and Table 2 of both example designs, each as analyze writes it,
    # in \documentclass[a4paper]{article} with exactly the packages the file's comment names
    from msrelax_stats.report.table1 import table1
    from msrelax_stats.stats.baseline import baseline_characteristics

    root = Path(__file__).parents[1]
    t1 = table1(baseline_characteristics(mrs.read_study(root / "data/sample/pmr_study.csv")))
    one = table2(pd.read_csv(root / "docs/example-report/results.csv"))
    two = table2(pd.read_csv(root / "docs/example-report/controlled/arms.csv"))  # trial layout
    pieces = [to_latex(t1, caption=t1.attrs["caption"], label="tab:baseline",
                       notes=t1.attrs["notes"]),
              to_latex(one, caption=one.attrs["caption"], notes=[one.attrs["note"]]),
              to_latex(two, caption=two.attrs["caption"], label="tab:arms",
                       notes=[two.attrs["note"]])]  # fmt: skip
    packages = sorted({p for text in pieces
                       for p in re.findall(r"^%.*\\usepackage\{(\w+)\}", text, re.M)})  # fmt: skip
    assert packages == ["booktabs", "graphicx", "rotating"]
    document = "\n".join([
        "\\documentclass[a4paper]{article}", *(f"\\usepackage{{{p}}}" for p in packages),
        "\\begin{document}", *pieces, "\\end{document}", "",
    ])  # fmt: skip
    (tmp_path / "tables.tex").write_text(document, encoding="utf-8")
    run = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "tables.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)  # fmt: skip
    log = (tmp_path / "tables.log").read_text(encoding="latin-1")
    assert run.returncode == 0, log[-2000:]
    assert "Overfull \\hbox" not in log and "Overfull \\vbox" not in log
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "tables.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    assert "Table 1: Baseline characteristics" in flat
    assert "Table 2: Pre/post comparison (change = post - pre, 95 % CIs)" in flat
    assert "Table 3: relaxation against control at week6" in flat
    assert "Table 2: Table 2" not in flat and "Table 1: Table" not in flat
    info = subprocess.run(["pdfinfo", str(tmp_path / "tables.pdf")], capture_output=True,
                          text=True).stdout  # fmt: skip
    assert "(A4)" in info


def test_to_html_escapes_cells_and_headers():
    table = pd.DataFrame({"<b>": ["<script>alert(1)</script>"]})
    text = to_html(table, caption="a < b")
    assert "<script>" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<caption>a &lt; b</caption>" in text


def test_to_csv_round_trip_and_file(tmp_path):
    table = table2(results_table())
    path = tmp_path / "t2.csv"
    text = to_csv(table, path)
    assert path.read_bytes() == text.encode("utf-8")
    assert "\r" not in text
    back = pd.read_csv(io.StringIO(text), dtype=str)
    assert back.loc[0, "Change [95 % CI]"] == "-0.80 [-1.10, -0.50]"
    assert back.loc[0, "p"] == "< .001"
