//! The dataset's columns and tables as plain public data, for a reference
//! implementation of the KPI pass outside Rust: the browser benchmark
//! (`tests/kpi_browser.rs`) hands them to the same pass written in plain
//! JavaScript (`tests/kpi_js/kpi.js`) and compares both the results and the
//! times. The row columns are borrowed, not copied; the tables are small.

use crate::domain::QuestionnaireKind;

use super::dataset::{Dataset, Op, OpsField, TimeMetric};

/// What one kept answer of a slot feeds, as a name and one number, so a
/// reader in another language needs no Rust enum layout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlotOp {
    /// `none`, `nps`, `csat` (arg: the lowest satisfied answer), `ces`,
    /// `csi` (arg: attribute index), `ink` (arg: cause 0 staff, 1 office,
    /// 2 product), `loyalty`, `ops` (arg: field, see [`OPS_FIELD_NAMES`]),
    /// `time` (arg: metric, see [`TIME_METRIC_NAMES`]), `category`,
    /// `resolved`.
    pub name: &'static str,
    pub arg: f64,
}

/// Ops report fields in the order of `SlotOp::arg` for `ops`.
pub const OPS_FIELD_NAMES: [&str; 9] = [
    "visitors",
    "receipts",
    "offered",
    "within_t",
    "abandoned",
    "handled",
    "talk",
    "hold",
    "after_call",
];

/// Measured durations in the order of `SlotOp::arg` for `time`.
pub const TIME_METRIC_NAMES: [&str; 4] = [
    "wait",
    "first_response",
    "resolution",
    "complaint_resolution",
];

#[derive(Debug, Clone, PartialEq)]
pub struct SlotInfo {
    pub item: u32,
    pub section: u16,
    pub weight: f64,
    pub critical: bool,
    pub audit: bool,
    /// Scale bounds of a scale answer; `None`: the value is the item score.
    pub scale: Option<(f64, f64)>,
    pub op: SlotOp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VersionColumns {
    pub questionnaire: u32,
    /// `audit`, `survey`, `complaint` or `ops_report`.
    pub kind: &'static str,
    pub sections_start: u32,
    pub sections_end: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SectionColumns {
    pub key: u32,
    pub weight: f64,
    pub zero_visit: bool,
}

/// Borrowed row columns plus copied tables: everything `compute_all` reads.
#[derive(Debug)]
pub struct Columns<'a> {
    pub locations: &'a [String],
    pub employees: &'a [String],
    /// Questionnaires: (id, kind of the newest version).
    pub questionnaires: Vec<(&'a str, &'static str)>,
    pub versions: Vec<VersionColumns>,
    pub sections: Vec<SectionColumns>,
    /// Stable sections: (questionnaire, id, order in the newest version).
    pub section_keys: Vec<(u32, &'a str, u32)>,
    /// Stable items: (questionnaire, id, stable section).
    pub items: Vec<(u32, &'a str, u32)>,
    pub slots: Vec<SlotInfo>,
    /// CSI attributes: (stable item, importance).
    pub csi_attrs: Vec<(u32, f64)>,
    pub categories: Vec<&'a str>,
    pub max_sections: usize,
    pub row_time: &'a [i64],
    pub row_version: &'a [u32],
    pub row_location: &'a [u32],
    pub row_emp_start: &'a [u32],
    pub row_emp: &'a [u32],
    pub row_ans_start: &'a [u32],
    pub ans_slot: &'a [u32],
    pub ans_val: &'a [f32],
    /// (row, visitors) of the rows reporting a visitor count.
    pub visitor_rows: &'a [(u32, f32)],
}

fn kind_name(k: QuestionnaireKind) -> &'static str {
    match k {
        QuestionnaireKind::Audit => "audit",
        QuestionnaireKind::Survey => "survey",
        QuestionnaireKind::Complaint => "complaint",
        QuestionnaireKind::OpsReport => "ops_report",
    }
}

fn slot_op(op: Op) -> SlotOp {
    let (name, arg) = match op {
        Op::None => ("none", 0.0),
        Op::Nps => ("nps", 0.0),
        Op::Csat { top } => ("csat", f64::from(top)),
        Op::Ces => ("ces", 0.0),
        Op::Csi { attr } => ("csi", f64::from(attr)),
        Op::Ink(c) => ("ink", f64::from(c)),
        Op::Loyalty => ("loyalty", 0.0),
        Op::Ops(f) => ("ops", f64::from(f as u8)),
        Op::Time(m) => ("time", f64::from(m as u8)),
        Op::Category => ("category", 0.0),
        Op::Resolved => ("resolved", 0.0),
    };
    SlotOp { name, arg }
}

// The names above follow the enums' order; a new variant must be named.
const _: () = {
    assert!(OpsField::AfterCall as usize == OPS_FIELD_NAMES.len() - 1);
    assert!(TimeMetric::ComplaintResolution as usize == TIME_METRIC_NAMES.len() - 1);
};

impl Dataset {
    /// The columns and tables [`super::compute_all`] reads.
    pub fn columns(&self) -> Columns<'_> {
        Columns {
            locations: self.locations.names(),
            employees: self.employees.names(),
            questionnaires: self
                .questionnaires
                .iter()
                .map(|q| (q.id.as_str(), kind_name(q.kind)))
                .collect(),
            versions: self
                .versions
                .iter()
                .map(|v| VersionColumns {
                    questionnaire: v.questionnaire,
                    kind: kind_name(v.kind),
                    sections_start: v.sections.start,
                    sections_end: v.sections.end,
                })
                .collect(),
            sections: self
                .sections
                .iter()
                .map(|s| SectionColumns {
                    key: s.key,
                    weight: s.weight,
                    zero_visit: s.zero_visit,
                })
                .collect(),
            section_keys: self
                .section_keys
                .iter()
                .map(|k| (k.questionnaire, k.id.as_str(), k.order))
                .collect(),
            items: self
                .items
                .iter()
                .map(|i| (i.questionnaire, i.id.as_str(), i.section))
                .collect(),
            slots: self
                .slots
                .iter()
                .map(|s| SlotInfo {
                    item: s.item,
                    section: s.section,
                    weight: s.weight,
                    critical: s.critical,
                    audit: s.audit,
                    scale: s.scale,
                    op: slot_op(s.op),
                })
                .collect(),
            csi_attrs: self
                .csi_attrs
                .iter()
                .map(|a| (a.item, a.importance))
                .collect(),
            categories: self.categories.iter().map(|c| c.id.as_str()).collect(),
            max_sections: self.max_sections,
            row_time: &self.row_time,
            row_version: &self.row_version,
            row_location: &self.row_location,
            row_emp_start: &self.row_emp_start,
            row_emp: &self.row_emp,
            row_ans_start: &self.row_ans_start,
            ans_slot: &self.ans_slot,
            ans_val: &self.ans_val,
            visitor_rows: &self.visitor_rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::synthetic;

    #[test]
    fn columns_cover_every_row_and_answer() {
        let d = synthetic::generate(500, 7);
        let c = d.columns();
        assert_eq!(c.row_time.len(), 500);
        assert_eq!(c.row_ans_start.len(), 501);
        assert_eq!(*c.row_ans_start.last().unwrap() as usize, c.ans_val.len());
        assert_eq!(c.ans_slot.len(), c.ans_val.len());
        assert!(c.ans_slot.iter().all(|&s| (s as usize) < c.slots.len()));
        // The synthetic data feeds every kind of KPI.
        for name in [
            "nps", "csat", "ces", "csi", "ink", "loyalty", "ops", "time", "category",
        ] {
            assert!(c.slots.iter().any(|s| s.op.name == name), "{name}");
        }
        assert!(c.slots.iter().any(|s| s.audit));
        assert!(!c.visitor_rows.is_empty());
    }
}
