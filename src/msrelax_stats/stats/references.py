"""The works behind the statistical methods, cited in the methods paragraph by their key.

One place for the references of the methods (the instruments' own are in their specs, see
:meth:`msrelax_stats.instruments.registry.Registry.references`). The methods paragraph cites a
method as "(Efron 1987)"; the report's reference list holds every work whose key it cites
(:func:`msrelax_stats.report.references.reference_list`). Entries are in Vancouver style, as
the instruments' references.
"""

from __future__ import annotations

from msrelax_stats.instruments.spec import Reference

__all__ = ["METHOD_REFERENCES", "method_reference"]

#: Every method reference, keyed as cited in the text.
METHOD_REFERENCES: tuple[Reference, ...] = (
    Reference("Wilcoxon 1945", "Wilcoxon F. Individual comparisons by ranking methods. "
              "Biometrics Bull. 1945;1(6):80-83."),
    Reference("Shapiro 1965", "Shapiro SS, Wilk MB. An analysis of variance test for normality "
              "(complete samples). Biometrika. 1965;52(3-4):591-611."),
    Reference("Hodges 1963", "Hodges JL, Lehmann EL. Estimates of location based on rank tests. "
              "Ann Math Stat. 1963;34(2):598-611."),
    Reference("Efron 1987", "Efron B. Better bootstrap confidence intervals. J Am Stat Assoc. "
              "1987;82(397):171-185."),
    Reference("Lakens 2013", "Lakens D. Calculating and reporting effect sizes to facilitate "
              "cumulative science: a practical primer for t-tests and ANOVAs. Front Psychol. "
              "2013;4:863."),
    Reference("Steiger 1997", "Steiger JH, Fouladi RT. Noncentrality interval estimation and the "
              "evaluation of statistical models. In: Harlow LL, Mulaik SA, Steiger JH, editors. "
              "What if there were no significance tests? Mahwah, NJ: Erlbaum; 1997. p. 221-257."),
    Reference("Cumming 2012", "Cumming G. Understanding the new statistics: effect sizes, "
              "confidence intervals, and meta-analysis. New York: Routledge; 2012."),
    Reference("Hedges 1981", "Hedges LV. Distribution theory for Glass's estimator of effect "
              "size and related estimators. J Educ Stat. 1981;6(2):107-128."),
    Reference("Kerby 2014", "Kerby DS. The simple difference formula: an approach to teaching "
              "nonparametric correlation. Compr Psychol. 2014;3:11.IT.3.1."),
    Reference("Rouder 2009", "Rouder JN, Speckman PL, Sun D, Morey RD, Iverson G. Bayesian t "
              "tests for accepting and rejecting the null hypothesis. Psychon Bull Rev. "
              "2009;16(2):225-237."),
    Reference("Holm 1979", "Holm S. A simple sequentially rejective multiple test procedure. "
              "Scand J Stat. 1979;6(2):65-70."),
    Reference("Benjamini 1995", "Benjamini Y, Hochberg Y. Controlling the false discovery rate: "
              "a practical and powerful approach to multiple testing. J R Stat Soc Series B "
              "Stat Methodol. 1995;57(1):289-300."),
    Reference("McNemar 1947", "McNemar Q. Note on the sampling error of the difference between "
              "correlated proportions or percentages. Psychometrika. 1947;12(2):153-157."),
    Reference("Wilson 1927", "Wilson EB. Probable inference, the law of succession, and "
              "statistical inference. J Am Stat Assoc. 1927;22(158):209-212."),
    Reference("Cronbach 1951", "Cronbach LJ. Coefficient alpha and the internal structure of "
              "tests. Psychometrika. 1951;16(3):297-334."),
    Reference("Feldt 1987", "Feldt LS, Woodruff DJ, Salih FA. Statistical inference for "
              "coefficient alpha. Appl Psychol Meas. 1987;11(1):93-103."),
    Reference("McDonald 1999", "McDonald RP. Test theory: a unified treatment. Mahwah, NJ: "
              "Lawrence Erlbaum; 1999."),
    Reference("Terwee 2007", "Terwee CB, Bot SDM, de Boer MR, van der Windt DAWM, Knol DL, "
              "Dekker J, Bouter LM, de Vet HCW. Quality criteria were proposed for measurement "
              "properties of health status questionnaires. J Clin Epidemiol. 2007;60(1):34-42."),
    Reference("Vickers 2001", "Vickers AJ, Altman DG. Statistics notes: analysing controlled "
              "trials with baseline and follow up measurements. BMJ. 2001;323(7321):1123-1124."),
    Reference("Welch 1947", "Welch BL. The generalization of 'Student's' problem when several "
              "different population variances are involved. Biometrika. 1947;34(1-2):28-35."),
    Reference("Bates 2015", "Bates D, Machler M, Bolker B, Walker S. Fitting linear "
              "mixed-effects models using lme4. J Stat Softw. 2015;67(1):1-48."),
    Reference("Kuznetsova 2017", "Kuznetsova A, Brockhoff PB, Christensen RHB. lmerTest "
              "package: tests in linear mixed effects models. J Stat Softw. 2017;82(13):1-26."),
    Reference("Friedman 1937", "Friedman M. The use of ranks to avoid the assumption of "
              "normality implicit in the analysis of variance. J Am Stat Assoc. "
              "1937;32(200):675-701."),
    Reference("CONSORT 2010", "Schulz KF, Altman DG, Moher D; CONSORT Group. CONSORT 2010 "
              "statement: updated guidelines for reporting parallel group randomised trials. "
              "BMJ. 2010;340:c332."),
    Reference("Rubin 1987", "Rubin DB. Multiple imputation for nonresponse in surveys. New York: "
              "Wiley; 1987."),
    Reference("van Buuren 2011", "van Buuren S, Groothuis-Oudshoorn K. mice: multivariate "
              "imputation by chained equations in R. J Stat Softw. 2011;45(3):1-67."),
    Reference("Barnard 1999", "Barnard J, Rubin DB. Small-sample degrees of freedom with "
              "multiple imputation. Biometrika. 1999;86(4):948-955."),
    Reference("TREND 2004", "Des Jarlais DC, Lyles C, Crepaz N; TREND Group. Improving the "
              "reporting quality of nonrandomized evaluations of behavioral and public health "
              "interventions: the TREND statement. Am J Public Health. 2004;94(3):361-366."),
)  # fmt: skip


def method_reference(key: str) -> Reference:
    """The method reference cited as ``key``.

    Examples
    --------
    >>> method_reference("Efron 1987").text.split(".")[0]
    'Efron B'
    """
    for reference in METHOD_REFERENCES:
        if reference.key == key:
            return reference
    raise KeyError(f"no method reference {key!r}")
