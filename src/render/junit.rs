//! `--format junit`: one test suite per file, one test case per rule × file. Findings at or
//! above `--fail-on` are failures; lower ones are listed in the case's `system-out`. Input
//! text goes through [`super::escape::xml`].

use super::escape::xml as xml_escape;
use super::shared::Options;
use crate::Report;
use std::fmt::Write as _;

pub fn render(report: &Report, opts: &Options) -> String {
    let mut files: Vec<&str> = report
        .sources
        .files()
        .map(|(_, f)| f.display.as_str())
        .collect();
    files.sort_unstable();
    files.dedup();
    let rules = crate::rules::meta::RULES;
    let mut suites = String::new();
    let mut total_failures = 0;
    for file in &files {
        let mut cases = String::new();
        let mut failures = 0;
        for rule in rules {
            let found: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| d.code == rule.code && report.sources.get(d.span.file).display == *file)
                .collect();
            let failing: Vec<_> = found
                .iter()
                .filter(|d| d.level.at_least(opts.fail_on))
                .collect();
            let _ = write!(
                cases,
                "    <testcase classname=\"{}\" name=\"{} {}\"",
                xml_escape(file),
                rule.code,
                rule.name
            );
            if found.is_empty() {
                cases.push_str("/>\n");
                continue;
            }
            cases.push_str(">\n");
            // One line per finding; line ends inside a finding are character references.
            let lines: String = found
                .iter()
                .map(|d| xml_escape(&super::concise::line(report, d)))
                .collect::<Vec<_>>()
                .join("\n");
            if let Some(first) = failing.first() {
                failures += 1;
                let _ = writeln!(
                    cases,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    first.level,
                    xml_escape(&first.message),
                    lines
                );
            } else {
                let _ = writeln!(cases, "      <system-out>{}</system-out>", lines);
            }
            cases.push_str("    </testcase>\n");
        }
        total_failures += failures;
        let _ = write!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n{cases}  </testsuite>\n",
            xml_escape(file),
            rules.len()
        );
    }
    // Coverage: one case per cluster, skipped (with why) when it was only partly checked.
    let cov = &report.coverage;
    if !cov.is_empty() {
        let mut cases = String::new();
        for c in cov {
            let loc = report.sources.location(c.span);
            let _ = write!(
                cases,
                "    <testcase classname=\"{}\" name=\"cluster {}\"",
                xml_escape(&loc.file),
                xml_escape(&c.cluster)
            );
            if c.fully_checked {
                cases.push_str("/>\n");
            } else {
                let _ = writeln!(
                    cases,
                    ">\n      <skipped message=\"partly checked: {}\"/>\n    </testcase>",
                    xml_escape(&c.why())
                );
            }
        }
        let t = crate::coverage::totals(cov);
        let _ = write!(
            suites,
            "  <testsuite name=\"eks-lint coverage\" tests=\"{}\" failures=\"0\" errors=\"0\" skipped=\"{}\">\n{cases}  </testsuite>\n",
            t.clusters, t.partly_checked
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"eks-lint\" tests=\"{}\" failures=\"{total_failures}\" errors=\"0\">\n{suites}</testsuites>\n",
        files.len() * rules.len() + cov.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;
    use crate::diag::Level;
    use crate::render::testutil;

    #[test]
    fn one_case_per_rule_and_file_with_failures() {
        let r = testutil::report(vec![
            (Code::EKS101, Level::Error, "maxSize: 80", "too <many>"),
            (Code::EKS201, Level::Warning, "m5.8xlarge", "low"),
        ]);
        let out = render(&r, &Options::default());
        let n = crate::rules::meta::RULES.len();
        assert!(
            out.contains(&format!("tests=\"{n}\" failures=\"1\"")),
            "{out}"
        );
        assert_eq!(out.matches("<testcase ").count(), n);
        assert!(out.contains("message=\"too &lt;many&gt;\""), "{out}");
        assert!(
            out.contains("<system-out>cluster.yaml:7:19: warning[EKS201] low</system-out>"),
            "{out}"
        );
    }
}
