//! The KPI pass: one walk over the filtered rows adding every answer into
//! the accumulators of each group its response belongs to (overall,
//! location, questionnaire, time bucket, employees), then one assembly of
//! the results. The walk allocates nothing per answer: group lists and
//! section tallies are scratch buffers reused across rows.

use std::ops::Range;

use crate::domain::QuestionnaireKind;

use super::audit::{self, AuditKpis, SectionStat, SectionTally};
use super::ces::{self, CesCounts};
use super::complaints::{sort_categories, CategoryCount, Complaints};
use super::csi::{csi_from_units, Csi, CsiAttribute};
use super::dataset::{Dataset, Op, Slot, TimeMetric, VersionInfo, OPS_FIELDS, TIME_METRICS};
use super::filter::{Bucketer, Filter, Period};
use super::ink::{ink_with_silent, InkCause};
use super::loyalty::iel;
use super::nps::{nps, NpsCounts};
use super::ops::{OpsCounts, OpsKpis, OpsRow, TimeStat};
use super::ranking::{rank, Rankings};
use super::report::{Breakdown, Comparison, KpiSet, Report, TrendPoint};
use super::stats::{median_of_nonneg_bits, Kpi, SumCount};
use super::weak_spots::{most_failed, LocationWeakSpots, WeakSpot};

/// Counters of one group.
#[derive(Debug, Clone, Default)]
struct Acc {
    responses: u64,
    audits: u64,
    audit_sum: f64,
    audit_critical: u64,
    nps: NpsCounts,
    csat_sat: u64,
    csat_n: u64,
    ces: CesCounts,
    csi_respondents: u64,
    ink_no: [u64; 3],
    ink_n: [u64; 3],
    /// Answers from locations with a visitor count: those whose visitors
    /// they are subtracted from to get the silent customers.
    ink_n_counted: [u64; 3],
    loyal_yes: u64,
    loyal_no: u64,
    surveys_counted: u64,
    ops: OpsCounts,
    times: [SumCount; TIME_METRICS],
    complaints: u64,
    resolved_yes: u64,
    resolved_n: u64,
}

/// Which ids pass the filter; `None` lets everything through.
struct Allow {
    locations: Option<Vec<bool>>,
    employees: Option<Vec<bool>>,
    questionnaires: Option<Vec<bool>>,
}

fn allow_set(
    ids: &[String],
    size: usize,
    index: impl Fn(&str) -> Option<u32>,
) -> Option<Vec<bool>> {
    if ids.is_empty() {
        return None;
    }
    let mut v = vec![false; size];
    for id in ids {
        if let Some(i) = index(id) {
            v[i as usize] = true;
        }
    }
    Some(v)
}

#[inline(always)]
fn allowed(set: &Option<Vec<bool>>, i: u32) -> bool {
    set.as_ref().is_none_or(|v| v[i as usize])
}

impl Allow {
    /// Whether row `r` passes the filter's locations, questionnaires and
    /// employees (its period is the caller's range of rows): the one rule
    /// for the KPI pass and for [`first_sources`].
    #[inline(always)]
    fn admits(&self, d: &Dataset, r: usize) -> bool {
        allowed(&self.locations, d.row_location[r])
            && allowed(
                &self.questionnaires,
                d.versions[d.row_version[r] as usize].questionnaire,
            )
            && (self.employees.is_none()
                || d.row_employees(r)
                    .iter()
                    .any(|&e| allowed(&self.employees, e)))
    }
}

/// Offsets of each dimension in the flat group array.
#[derive(Debug, Clone, Copy)]
struct Layout {
    location: usize,
    questionnaire: usize,
    bucket: usize,
    employee: usize,
    total: usize,
}

impl Layout {
    fn new(d: &Dataset, buckets: usize, breakdowns: bool) -> Layout {
        if !breakdowns {
            return Layout {
                location: 1,
                questionnaire: 1,
                bucket: 1,
                employee: 1,
                total: 1,
            };
        }
        let location = 1;
        let questionnaire = location + d.locations.len();
        let bucket = questionnaire + d.questionnaires.len();
        let employee = bucket + buckets;
        Layout {
            location,
            questionnaire,
            bucket,
            employee,
            total: employee + d.employees.len(),
        }
    }
}

/// Visitors reported by ops reports in the period at the allowed locations,
/// whatever the other filters: silent customers and coverage are about
/// everyone who came in.
struct Visitors {
    total: Option<f64>,
    by_location: Vec<Option<f64>>,
    by_bucket: Vec<Option<f64>>,
}

impl Visitors {
    fn scan(
        d: &Dataset,
        rows: &Range<usize>,
        allow: &Allow,
        bucketer: Option<&mut Bucketer>,
        buckets: usize,
    ) -> Visitors {
        let mut v = Visitors {
            total: None,
            by_location: vec![None; d.locations.len()],
            by_bucket: vec![None; buckets],
        };
        let a = d
            .visitor_rows
            .partition_point(|&(r, _)| (r as usize) < rows.start);
        let b = d
            .visitor_rows
            .partition_point(|&(r, _)| (r as usize) < rows.end);
        let mut bucketer = bucketer;
        for &(row, count) in &d.visitor_rows[a..b] {
            let loc = d.row_location[row as usize];
            if !allowed(&allow.locations, loc) {
                continue;
            }
            let c = f64::from(count);
            *v.total.get_or_insert(0.0) += c;
            *v.by_location[loc as usize].get_or_insert(0.0) += c;
            if let Some(bk) = bucketer.as_deref_mut() {
                let i = bk.index(d.row_time[row as usize]) as usize;
                if let Some(slot) = v.by_bucket.get_mut(i) {
                    *slot.get_or_insert(0.0) += c;
                }
            }
        }
        v
    }
}

/// What one row gathers while its answers are added, for its close. One
/// is reused for every row: clearing it is cheaper than making one.
struct RowState {
    ops_row: OpsRow,
    has_ops: bool,
    rated_csi: bool,
    /// Where the row's groups were written in `time_groups`: on its first
    /// measured time, shared by the rest.
    time_groups_at: u32,
}

impl Default for RowState {
    fn default() -> RowState {
        RowState {
            ops_row: [None; OPS_FIELDS],
            has_ops: false,
            rated_csi: false,
            time_groups_at: u32::MAX,
        }
    }
}

impl RowState {
    /// Ready for the next row. Only an ops report writes `ops_row`, so
    /// only then is it emptied.
    #[inline(always)]
    fn clear(&mut self) {
        if self.has_ops {
            self.ops_row = [None; OPS_FIELDS];
            self.has_ops = false;
        }
        self.rated_csi = false;
        self.time_groups_at = u32::MAX;
    }
}

struct Pass<'a> {
    d: &'a Dataset,
    layout: Layout,
    accs: Vec<Acc>,
    /// groups × CSI attributes.
    csi: Vec<SumCount>,
    /// groups × complaint categories.
    categories: Vec<u64>,
    /// (groups, value bits) of every measured time, for medians: `groups`
    /// indexes `time_groups`, where the row's group count is followed by
    /// its groups. Times are never negative (ingest drops those), so the
    /// bits sort as the values.
    times: [Vec<(u32, u32)>; TIME_METRICS],
    time_groups: Vec<u32>,
    /// Per stable section key: scores and critical failures (overall only).
    sections: Vec<(SumCount, u64)>,
    /// Per stable item: (answered, failed), overall and locations × items.
    items: Vec<(u64, u64)>,
    location_items: Vec<(u32, u32)>,
}

impl<'a> Pass<'a> {
    fn new(d: &'a Dataset, layout: Layout, breakdowns: bool) -> Pass<'a> {
        let g = layout.total;
        let per_location_items = if breakdowns {
            d.locations.len() * d.items.len()
        } else {
            0
        };
        Pass {
            d,
            layout,
            accs: vec![Acc::default(); g],
            csi: vec![SumCount::default(); g * d.csi_attrs.len()],
            categories: vec![0; g * d.categories.len()],
            times: Default::default(),
            time_groups: Vec::new(),
            sections: vec![(SumCount::default(), 0); d.section_keys.len()],
            items: vec![(0, 0); d.items.len()],
            location_items: vec![(0, 0); per_location_items],
        }
    }

    /// Adds every admitted row of `rows` into its groups' accumulators.
    /// This is the hot loop: the helpers below are its steps, inlined.
    fn run(
        &mut self,
        rows: Range<usize>,
        allow: &Allow,
        mut bucketer: Option<&mut Bucketer>,
        counted_location: &[bool],
        breakdowns: bool,
    ) {
        let d = self.d;
        let mut groups: Vec<usize> = Vec::with_capacity(8);
        let mut tallies = vec![SectionTally::default(); d.max_sections];
        let mut row = RowState::default();

        for r in rows {
            if !allow.admits(d, r) {
                continue;
            }
            let loc = d.row_location[r];
            let ver = &d.versions[d.row_version[r] as usize];
            self.row_groups(
                r,
                ver,
                allow,
                bucketer.as_deref_mut(),
                breakdowns,
                &mut groups,
            );
            let counted = counted_location[loc as usize];
            let n_sections = (ver.sections.end - ver.sections.start) as usize;
            let tallies = &mut tallies[..n_sections];
            tallies.fill(SectionTally::default());
            row.clear();

            for a in d.answers(r) {
                let s = &d.slots[d.ans_slot[a] as usize];
                let x = d.ans_val[a];
                if s.audit {
                    self.add_audit_item(s, x, loc, tallies, breakdowns);
                }
                self.add_answer(s, x, &groups, counted, &mut row);
            }
            self.close_row(ver, &groups, counted, tallies, &row, breakdowns);
        }
    }

    /// The groups row `r` counts in: overall, then (with breakdowns) its
    /// location, questionnaire, time bucket and allowed employees.
    #[inline(always)]
    fn row_groups(
        &self,
        r: usize,
        ver: &VersionInfo,
        allow: &Allow,
        bucketer: Option<&mut Bucketer>,
        breakdowns: bool,
        groups: &mut Vec<usize>,
    ) {
        let d = self.d;
        let l = self.layout;
        groups.clear();
        groups.push(0);
        if breakdowns {
            groups.push(l.location + d.row_location[r] as usize);
            groups.push(l.questionnaire + ver.questionnaire as usize);
            if let Some(b) = bucketer {
                let i = b.index(d.row_time[r]) as usize;
                if i < l.employee - l.bucket {
                    groups.push(l.bucket + i);
                }
            }
            for &e in d.row_employees(r) {
                if allowed(&allow.employees, e) {
                    groups.push(l.employee + e as usize);
                }
            }
        }
    }

    /// A scored audit item: into its section's tally, and (with
    /// breakdowns) into the item's answered and failed counts, overall and
    /// at the row's location.
    #[inline(always)]
    fn add_audit_item(
        &mut self,
        s: &Slot,
        x: f32,
        loc: u32,
        tallies: &mut [SectionTally],
        breakdowns: bool,
    ) {
        let score = s.item_score(x);
        tallies[s.section as usize].add(s.weight, score, s.critical);
        if breakdowns {
            let failed = u32::from(score < crate::domain::scoring::FAIL_BELOW);
            let it = &mut self.items[s.item as usize];
            it.0 += 1;
            it.1 += u64::from(failed);
            let n_items = self.d.items.len();
            let li = &mut self.location_items[loc as usize * n_items + s.item as usize];
            li.0 += 1;
            li.1 += failed;
        }
    }

    /// One answer into every group of its row, by what its question feeds;
    /// ops fields, CSI and times also leave a note in `row`.
    #[inline(always)]
    fn add_answer(
        &mut self,
        s: &Slot,
        x: f32,
        groups: &[usize],
        counted: bool,
        row: &mut RowState,
    ) {
        match s.op {
            Op::None => {}
            Op::Nps => {
                for &g in groups {
                    self.accs[g].nps.add(x);
                }
            }
            Op::Csat { top } => {
                let sat = u64::from(x >= top);
                for &g in groups {
                    let acc = &mut self.accs[g];
                    acc.csat_sat += sat;
                    acc.csat_n += 1;
                }
            }
            Op::Ces => {
                for &g in groups {
                    self.accs[g].ces.add(x);
                }
            }
            Op::Csi { attr } => {
                let n_attrs = self.d.csi_attrs.len();
                let u = s.unit(x);
                row.rated_csi = true;
                for &g in groups {
                    self.csi[g * n_attrs + attr as usize].add(u);
                }
            }
            Op::Ink(c) => {
                let c = c as usize;
                let no = u64::from(x < 0.5);
                for &g in groups {
                    let acc = &mut self.accs[g];
                    acc.ink_n[c] += 1;
                    acc.ink_no[c] += no;
                    acc.ink_n_counted[c] += u64::from(counted);
                }
            }
            Op::Loyalty => {
                let yes = x >= 0.5;
                for &g in groups {
                    let acc = &mut self.accs[g];
                    acc.loyal_yes += u64::from(yes);
                    acc.loyal_no += u64::from(!yes);
                }
            }
            Op::Ops(f) => {
                let v = &mut row.ops_row[f as usize];
                *v = Some(v.unwrap_or(0.0) + f64::from(x));
                row.has_ops = true;
            }
            Op::Time(m) => {
                let m = m as usize;
                for &g in groups {
                    self.accs[g].times[m].add(f64::from(x));
                }
                if row.time_groups_at == u32::MAX {
                    row.time_groups_at = self.time_groups.len() as u32;
                    self.time_groups.push(groups.len() as u32);
                    self.time_groups.extend(groups.iter().map(|&g| g as u32));
                }
                self.times[m].push((row.time_groups_at, x.to_bits()));
            }
            Op::Category => {
                let n_cats = self.d.categories.len();
                let c = x as usize;
                for &g in groups {
                    self.categories[g * n_cats + c] += 1;
                }
            }
            Op::Resolved => {
                let yes = u64::from(x >= 0.5);
                for &g in groups {
                    let acc = &mut self.accs[g];
                    acc.resolved_yes += yes;
                    acc.resolved_n += 1;
                }
            }
        }
    }

    /// What a row adds once its answers are in: the response itself, its
    /// audit visit and section scores, and its ops report.
    #[inline(always)]
    fn close_row(
        &mut self,
        ver: &VersionInfo,
        groups: &[usize],
        counted: bool,
        tallies: &[SectionTally],
        row: &RowState,
        breakdowns: bool,
    ) {
        let d = self.d;
        let survey = u64::from(ver.kind == QuestionnaireKind::Survey);
        let complaint = u64::from(ver.kind == QuestionnaireKind::Complaint);
        for &g in groups {
            let acc = &mut self.accs[g];
            acc.responses += 1;
            acc.surveys_counted += survey * u64::from(counted);
            acc.complaints += complaint;
            acc.csi_respondents += u64::from(row.rated_csi);
        }
        if ver.kind == QuestionnaireKind::Audit {
            let secs = &d.sections[ver.sections.start as usize..ver.sections.end as usize];
            if let Some(v) = audit::visit(tallies, secs) {
                for &g in groups {
                    let acc = &mut self.accs[g];
                    acc.audits += 1;
                    acc.audit_sum += v.score;
                    acc.audit_critical += u64::from(v.critical_failed);
                }
            }
            if breakdowns {
                for (t, s) in tallies.iter().zip(secs) {
                    if let Some(score) = t.score() {
                        let e = &mut self.sections[s.key as usize];
                        e.0.add(score);
                        e.1 += u64::from(t.critical_failed);
                    }
                }
            }
        }
        if row.has_ops {
            let mut delta = OpsCounts::default();
            delta.add_report(&row.ops_row);
            for &g in groups {
                self.accs[g].ops.merge(&delta);
            }
        }
    }

    /// Median of each group's values of each time metric: a counting sort
    /// of the values by group into one scratch buffer, then a selection
    /// per group.
    fn medians(&self) -> [Vec<Option<f64>>; TIME_METRICS] {
        let total = self.layout.total;
        let lists = &self.time_groups;
        let groups = |at: u32| {
            let at = at as usize;
            &lists[at + 1..at + 1 + lists[at] as usize]
        };
        let mut out: [Vec<Option<f64>>; TIME_METRICS] = Default::default();
        let mut start: Vec<usize> = Vec::new();
        let mut buf: Vec<u32> = Vec::new();
        for (m, values) in self.times.iter().enumerate() {
            out[m] = vec![None; total];
            if values.is_empty() {
                continue;
            }
            start.clear();
            start.resize(total + 1, 0);
            for &(at, _) in values {
                for &g in groups(at) {
                    start[g as usize + 1] += 1;
                }
            }
            for i in 0..total {
                start[i + 1] += start[i];
            }
            buf.clear();
            buf.resize(start[total], 0);
            // `start[g]` becomes the next free place of group g and ends at
            // the group's end, which is where the next group begins.
            for &(at, v) in values {
                for &g in groups(at) {
                    buf[start[g as usize]] = v;
                    start[g as usize] += 1;
                }
            }
            let mut begin = 0;
            for (g, o) in out[m].iter_mut().enumerate() {
                let end = start[g];
                *o = median_of_nonneg_bits(&mut buf[begin..end]);
                begin = end;
            }
        }
        out
    }
}

/// Everything a [`KpiSet`] needs besides the group's counters.
struct Assembly<'a> {
    d: &'a Dataset,
    k: f64,
    medians: [Vec<Option<f64>>; TIME_METRICS],
}

impl Assembly<'_> {
    /// One breakdown: the KPIs of each group from `offset` on that counted
    /// a response, by id; `visitors` gives group i's visitor count.
    fn breakdown(
        &self,
        pass: &Pass,
        offset: usize,
        names: &[String],
        visitors: &dyn Fn(usize) -> Option<f64>,
    ) -> Vec<Breakdown> {
        let mut v: Vec<Breakdown> = names
            .iter()
            .enumerate()
            .filter(|&(i, _)| pass.accs[offset + i].responses > 0)
            .map(|(i, name)| Breakdown {
                id: name.clone(),
                kpis: self.kpi_set(pass, offset + i, visitors(i)),
            })
            .collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    fn kpi_set(&self, pass: &Pass, g: usize, visitors: Option<f64>) -> KpiSet {
        let d = self.d;
        let a = &pass.accs[g];
        let n_attrs = d.csi_attrs.len();
        let attrs = &pass.csi[g * n_attrs..(g + 1) * n_attrs];
        let csi_value = csi_from_units(
            d.csi_attrs
                .iter()
                .zip(attrs)
                .map(|(c, s)| (c.importance, s)),
            a.csi_respondents,
        );
        let attributes = d
            .csi_attrs
            .iter()
            .zip(attrs)
            .filter(|(_, s)| s.n > 0)
            .map(|(c, s)| {
                let item = &d.items[c.item as usize];
                CsiAttribute {
                    questionnaire_id: d.questionnaires[item.questionnaire as usize].id.clone(),
                    question_id: item.id.clone(),
                    importance: c.importance,
                    score: Kpi::mean(100.0 * s.sum, s.n),
                }
            })
            .collect();
        let n_cats = d.categories.len();
        let mut by_category: Vec<CategoryCount> = pass.categories[g * n_cats..(g + 1) * n_cats]
            .iter()
            .zip(&d.categories)
            .filter(|(&n, _)| n > 0)
            .map(|(&count, c)| CategoryCount {
                id: c.id.clone(),
                label: c.label.clone(),
                count,
            })
            .collect();
        sort_categories(&mut by_category);
        let time = |m: TimeMetric| TimeStat::new(&a.times[m as usize], self.medians[m as usize][g]);
        let ink_for = |i: usize| {
            // Answers from locations without a visitor count have no
            // visitors to be subtracted from.
            let silent = visitors.map(|v| (v - a.ink_n_counted[i] as f64).max(0.0));
            ink_with_silent(InkCause::ALL[i], a.ink_no[i], a.ink_n[i], silent, self.k)
        };
        KpiSet {
            responses: a.responses,
            audit: AuditKpis {
                score: Kpi::mean(a.audit_sum, a.audits),
                critical_failures: Kpi::percent(a.audit_critical as f64, a.audits as f64),
            },
            nps: nps(a.nps),
            csat: Kpi::percent(a.csat_sat as f64, a.csat_n as f64),
            csi: Csi {
                kpi: Kpi::new(csi_value, a.csi_respondents, None),
                attributes,
            },
            ces: ces::ces(a.ces),
            ink: [ink_for(0), ink_for(1), ink_for(2)],
            loyalty: iel(a.loyal_yes, a.loyal_no),
            ops: OpsKpis {
                reports: a.ops.reports,
                visitors: (a.ops.reports > 0).then_some(a.ops.visitors),
                receipts: (a.ops.reports > 0).then_some(a.ops.receipts),
                coverage: match visitors {
                    Some(v) => Kpi::percent(a.surveys_counted as f64, v),
                    None => Kpi::empty(),
                },
                conversion: a.ops.conversion(),
                service_level: a.ops.service_level(),
                abandon_rate: a.ops.abandon_rate(),
                aht: a.ops.aht(),
                wait: time(TimeMetric::Wait),
                first_response: time(TimeMetric::FirstResponse),
                resolution: time(TimeMetric::Resolution),
            },
            complaints: Complaints {
                count: a.complaints,
                resolved: Kpi::percent(a.resolved_yes as f64, a.resolved_n as f64),
                time_to_resolve: time(TimeMetric::ComplaintResolution),
                by_category,
            },
        }
    }
}

fn resolve_allow(d: &Dataset, f: &Filter) -> Allow {
    Allow {
        locations: allow_set(&f.locations, d.locations.len(), |s| d.locations.get(s)),
        employees: allow_set(&f.employees, d.employees.len(), |s| d.employees.get(s)),
        questionnaires: allow_set(&f.questionnaires, d.questionnaires.len(), |s| {
            d.questionnaires
                .iter()
                .position(|q| q.id == s)
                .map(|i| i as u32)
        }),
    }
}

fn counted_locations(v: &Visitors) -> Vec<bool> {
    v.by_location.iter().map(Option::is_some).collect()
}

/// The rows in the filter's period (all rows without one), before the
/// other filters.
fn period_rows(d: &Dataset, filter: &Filter) -> Range<usize> {
    match filter.period {
        Some(p) => d.rows_between(p.start_ms, p.end_ms),
        None => 0..d.len(),
    }
}

/// The trend's bucketer and bucket count: over the period, or over the
/// rows' own span without one.
fn trend_buckets(d: &Dataset, filter: &Filter, rows: &Range<usize>) -> (Option<Bucketer>, usize) {
    let span = match filter.period {
        Some(p) if p.len_ms() > 0 => Some((p.start_ms, p.end_ms - 1)),
        Some(_) => None,
        None if !rows.is_empty() => Some((d.row_time[rows.start], d.row_time[rows.end - 1])),
        None => None,
    };
    let bucketer = span.map(|(a, _)| Bucketer::new(filter.bucket, filter.utc_offset_min, a));
    let buckets = match (&bucketer, span) {
        (Some(b), Some((_, z))) => b.count_to(z),
        _ => 0,
    };
    (bucketer, buckets)
}

/// The pass over `rows` with what its assembly needs: the visitors, the
/// accumulators and the medians.
fn tally<'a>(
    d: &'a Dataset,
    filter: &Filter,
    rows: Range<usize>,
    allow: &Allow,
    mut bucketer: Option<&mut Bucketer>,
    buckets: usize,
    breakdowns: bool,
) -> (Visitors, Pass<'a>, Assembly<'a>) {
    let visitors = Visitors::scan(d, &rows, allow, bucketer.as_deref_mut(), buckets);
    let counted = counted_locations(&visitors);
    let mut pass = Pass::new(d, Layout::new(d, buckets, breakdowns), breakdowns);
    pass.run(rows, allow, bucketer, &counted, breakdowns);
    let asm = Assembly {
        d,
        k: filter.silent_k,
        medians: pass.medians(),
    };
    (visitors, pass, asm)
}

/// Overall KPIs only, for the comparison period.
fn overall_only(d: &Dataset, f: &Filter, allow: &Allow, period: Period) -> KpiSet {
    let rows = d.rows_between(period.start_ms, period.end_ms);
    let (visitors, pass, asm) = tally(d, f, rows, allow, None, 0, false);
    asm.kpi_set(&pass, 0, visitors.total)
}

/// The first `limit` positions, in the sequence given to
/// [`Dataset::build`], of the responses `filter` selects (the ones
/// [`compute_all`] counts), ascending. A screen that keeps its records in
/// that order, newest first, gets its latest matching records from the
/// compact columns instead of walking every record.
pub fn first_sources(d: &Dataset, filter: &Filter, limit: usize) -> Vec<u32> {
    let allow = resolve_allow(d, filter);
    let mut out: Vec<u32> = period_rows(d, filter)
        .filter(|&r| allow.admits(d, r))
        .map(|r| d.row_source[r])
        .collect();
    if out.len() > limit {
        out.select_nth_unstable(limit);
        out.truncate(limit);
    }
    out.sort_unstable();
    out
}

/// Every KPI with every breakdown for the data that passes `filter`: one
/// pass over the period's rows, then the report assembled from its
/// accumulators, group by group.
pub fn compute_all(d: &Dataset, filter: &Filter) -> Report {
    let allow = resolve_allow(d, filter);
    let rows = period_rows(d, filter);
    let (mut bucketer, buckets) = trend_buckets(d, filter, &rows);
    let (visitors, pass, asm) = tally(d, filter, rows, &allow, bucketer.as_mut(), buckets, true);
    let layout = pass.layout;

    let overall = asm.kpi_set(&pass, 0, visitors.total);
    let by_location = asm.breakdown(&pass, layout.location, d.locations.names(), &|i| {
        visitors.by_location[i]
    });
    let by_employee = asm.breakdown(&pass, layout.employee, d.employees.names(), &|_| None);
    let qnr_names: Vec<String> = d.questionnaires.iter().map(|q| q.id.clone()).collect();
    // Coverage and ИНК of an audit or a complaint form mean nothing.
    let by_questionnaire = asm.breakdown(&pass, layout.questionnaire, &qnr_names, &|i| {
        (d.questionnaires[i].kind == QuestionnaireKind::Survey)
            .then_some(visitors.total)
            .flatten()
    });
    let trend = match &bucketer {
        Some(b) => (0..buckets)
            .map(|i| TrendPoint {
                bucket: b.info(i as u32),
                kpis: asm.kpi_set(&pass, layout.bucket + i, visitors.by_bucket[i]),
            })
            .collect(),
        None => Vec::new(),
    };
    let (weak_spots, weak_spots_by_location) = weak_spots(d, &pass, filter.weak_spots_limit);
    let rankings = rankings(&by_employee, &by_location, filter.min_rank_n);
    let previous = match filter.period {
        Some(p) if filter.compare_previous => {
            let prev = p.previous();
            Some(Comparison {
                period: prev,
                kpis: overall_only(d, filter, &allow, prev),
            })
        }
        _ => None,
    };

    Report {
        period: filter.period,
        overall,
        previous,
        by_location,
        by_employee,
        by_questionnaire,
        trend,
        sections: section_stats(d, &pass),
        weak_spots,
        weak_spots_by_location,
        rankings,
    }
}

/// Scored sections, in questionnaire order and then the order they appear.
fn section_stats(d: &Dataset, pass: &Pass) -> Vec<SectionStat> {
    let mut sections: Vec<(u32, SectionStat)> = d
        .section_keys
        .iter()
        .zip(&pass.sections)
        .filter(|(_, (s, _))| s.n > 0)
        .map(|(k, (s, crit))| {
            (
                k.order,
                SectionStat {
                    questionnaire_id: d.questionnaires[k.questionnaire as usize].id.clone(),
                    section_id: k.id.clone(),
                    title: k.title.clone(),
                    score: Kpi::mean(s.sum, s.n),
                    critical_failures: *crit,
                },
            )
        })
        .collect();
    sections.sort_by(|a, b| {
        (a.1.questionnaire_id.as_str(), a.0, a.1.section_id.as_str()).cmp(&(
            b.1.questionnaire_id.as_str(),
            b.0,
            b.1.section_id.as_str(),
        ))
    });
    sections.into_iter().map(|(_, s)| s).collect()
}

/// The most failed items overall and at each location, `limit` of each.
fn weak_spots(d: &Dataset, pass: &Pass, limit: usize) -> (Vec<WeakSpot>, Vec<LocationWeakSpots>) {
    let spot = |item: usize, answered: u64, failed: u64| {
        let it = &d.items[item];
        WeakSpot {
            questionnaire_id: d.questionnaires[it.questionnaire as usize].id.clone(),
            question_id: it.id.clone(),
            section_id: d.section_keys[it.section as usize].id.clone(),
            text: it.text.clone(),
            failed,
            fail_rate: Kpi::percent(failed as f64, answered as f64),
        }
    };
    let failed_items = |counts: &mut dyn Iterator<Item = (usize, u64, u64)>| {
        most_failed(
            counts
                .filter(|&(_, _, f)| f > 0)
                .map(|(i, a, f)| spot(i, a, f))
                .collect(),
            limit,
        )
    };
    let overall = failed_items(&mut pass.items.iter().enumerate().map(|(i, &(a, f))| (i, a, f)));
    let n_items = d.items.len();
    let mut by_location: Vec<LocationWeakSpots> = d
        .locations
        .names()
        .iter()
        .enumerate()
        .map(|(l, id)| LocationWeakSpots {
            location_id: id.clone(),
            items: failed_items(
                &mut pass.location_items[l * n_items..(l + 1) * n_items]
                    .iter()
                    .enumerate()
                    .map(|(i, &(a, f))| (i, u64::from(a), u64::from(f))),
            ),
        })
        .filter(|w| !w.items.is_empty())
        .collect();
    by_location.sort_by(|a, b| a.location_id.cmp(&b.location_id));
    (overall, by_location)
}

/// Employees and locations ranked by the KPIs the dashboard ranks them by;
/// fewer than `min_n` observations and a group is listed but not ranked.
fn rankings(by_employee: &[Breakdown], by_location: &[Breakdown], min_n: u64) -> Rankings {
    Rankings {
        employees_by_audit: rank(
            by_employee
                .iter()
                .map(|b| (b.id.clone(), b.kpis.audit.score)),
            min_n,
        ),
        employees_by_staff_survey: rank(
            by_employee.iter().map(|b| {
                let s = &b.kpis.ink[0];
                (
                    b.id.clone(),
                    Kpi::percent((s.answered - s.no) as f64, s.answered as f64),
                )
            }),
            min_n,
        ),
        locations_by_audit: rank(
            by_location
                .iter()
                .map(|b| (b.id.clone(), b.kpis.audit.score)),
            min_n,
        ),
        locations_by_nps: rank(
            by_location.iter().map(|b| (b.id.clone(), b.kpis.nps.kpi)),
            min_n,
        ),
        locations_by_csat: rank(
            by_location.iter().map(|b| (b.id.clone(), b.kpis.csat)),
            min_n,
        ),
    }
}
