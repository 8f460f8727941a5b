"""The reference list (report/references.py) and the citations of the methods paragraph.

Every author-year citation of the methods paragraph must have an entry in the list, and every
entry must be cited; each method is cited where the paragraph names it.
"""

import doctest
import re
from pathlib import Path

import pytest

import msrelax_stats as mrs
from msrelax_stats.instruments.registry import DEFAULT, registry_of
from msrelax_stats.report import references as references_module
from msrelax_stats.report.designs import design_methods
from msrelax_stats.report.references import catalogue, reference_list
from msrelax_stats.report.text import methods_paragraph
from msrelax_stats.report.trial import trial_methods
from msrelax_stats.stats import references as method_references_module
from msrelax_stats.stats.analysis import analyse
from msrelax_stats.stats.options import AnalysisOptions
from msrelax_stats.stats.references import METHOD_REFERENCES

ROOT = Path(__file__).parents[1]
VERSIONS = {"msrelax_stats": "0.1.0"}
# an author-year citation as the paragraph writes them: "Krupp 1989", "MS Council 1998",
# "CONSORT 2010"; a version number or a year of a phrase ("since 2012") is not one
CITATION = re.compile(r"(?<![\w-])((?:van )?(?:[A-Z][A-Za-z'-]+ ){1,2}(?:19|20)\d\d)(?!\w)")


@pytest.fixture(scope="module")
def one_group():
    scored = mrs.score(mrs.read_study(ROOT / "data/sample/pmr_study.csv"))
    analysis = analyse(scored, AnalysisOptions(n_boot=200))
    return analysis, registry_of(scored)


@pytest.fixture(scope="module")
def controlled():
    study = mrs.read_study(ROOT / "data/sample/controlled/pmr_controlled.csv",
                           mrs.data.options.ReadOptions(visits=["baseline", "week6", "week12"]))  # fmt: skip
    scored = mrs.score(study)
    return analyse(scored, AnalysisOptions(n_boot=200)), registry_of(scored)


def _citations(text):
    return {m.rstrip() for m in CITATION.findall(text)}


@pytest.mark.parametrize("design", ["one_group", "controlled"])
def test_every_citation_has_an_entry_and_every_entry_is_cited(design, request):
    analysis, registry = request.getfixturevalue(design)
    text = methods_paragraph(analysis, registry, VERSIONS, extra=design_methods(analysis))
    listed = [r.key for r in reference_list([text], registry)]
    cited = _citations(text)
    assert cited and cited == set(listed), (
        sorted(cited - set(listed)),
        sorted(set(listed) - cited),
    )
    assert len(listed) == len(set(listed))


def test_each_method_is_cited_where_it_is_named(one_group, controlled):
    text = methods_paragraph(*one_group, VERSIONS)
    sentences = re.split(r"(?<=\.) (?=[A-Z])", text)
    pairs = {"BCa": "Efron 1987", "noncentral t": "Steiger 1997", "g_av": "Cumming 2012",
             "Hedges'": "Hedges 1981", "JZS": "Rouder 2009", "Holm's": "Holm 1979",
             "Benjamini-Hochberg": "Benjamini 1995", "McNemar": "McNemar 1947",
             "Wilson": "Wilson 1927", "Feldt": "Feldt 1987", "omega": "McDonald 1999",
             "Cronbach's alpha": "Cronbach 1951", "Wilcoxon signed-rank": "Wilcoxon 1945",
             "Shapiro-Wilk": "Shapiro 1965", "Hodges-Lehmann": "Hodges 1963",
             "rank-biserial": "Kerby 2014", "Fatigue Severity Scale": "Krupp 1989",
             "Pittsburgh": "Buysse 1989", "Table 1": "CONSORT 2010"}  # fmt: skip
    for phrase, key in pairs.items():
        assert any(phrase in s and key in s for s in sentences), (phrase, key)
    design = " ".join([*trial_methods(controlled[0]), *design_methods(controlled[0])])
    for phrase, key in {"analysis of covariance": "Vickers 2001", "Welch": "Welch 1947",
                        "lme4": "Bates 2015", "Friedman": "Friedman 1937"}.items():  # fmt: skip
        assert phrase in design and key in design, (phrase, key)
    fitted = controlled[0].visits.options["fixed_effect_inference"]  # the text says what ran
    if fitted.startswith("Satterthwaite"):
        assert "Kuznetsova 2017" in design and "Wald" not in design
    else:
        assert "Kuznetsova 2017" not in design and "Wald (normal)" in design


def test_satterthwaite_df_cite_lmertest(controlled):
    analysis, registry = controlled
    options = analysis.visits.options
    saved = options["fixed_effect_inference"]
    options["fixed_effect_inference"] = "Satterthwaite t (as lmerTest)"
    try:
        design = " ".join(design_methods(analysis))
    finally:
        options["fixed_effect_inference"] = saved
    assert "Satterthwaite's degrees of freedom (as R lmerTest; Kuznetsova 2017)" in design
    assert "Wald" not in design
    keys = [r.key for r in reference_list([design], registry)]
    assert "Kuznetsova 2017" in keys


def test_catalogue_keys_are_unique_and_entries_complete():
    keys = [r.key for r in METHOD_REFERENCES]
    assert len(keys) == len(set(keys))
    assert not set(keys) & {r.key for s in DEFAULT.instruments for r in s.references}
    for reference in METHOD_REFERENCES:
        assert CITATION.fullmatch(reference.key), reference.key
        assert reference.text.endswith(".") and re.search(r"(19|20)\d\d", reference.text)
        year = reference.key[-4:]
        assert year in reference.text, reference  # the key's year is the entry's year


def test_list_is_sorted_by_first_author_and_cites_only_whats_in_the_text():
    text = "BCa (Efron 1987); FSS (Krupp 1989); Holm (Holm 1979); Penner 2009 not Penn"
    refs = reference_list([text], DEFAULT)
    assert [r.key for r in refs] == ["Efron 1987", "Holm 1979", "Krupp 1989", "Penner 2009"]
    assert "Penn 1989" in catalogue(DEFAULT)  # a longer key containing it is not a citation


def test_docstring_examples_run():
    for module in (references_module, method_references_module):
        assert doctest.testmod(module, raise_on_error=False).failed == 0
