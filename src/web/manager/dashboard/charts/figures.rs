//! What each chart shows, as plain data read off the report: the series it
//! draws and its table's columns and rows. The bars come from
//! `dashboard::charts`, so a chart and its table never differ; a table
//! lists every row (a chart draws at most `MAX_BARS`). A row's link is the
//! list its point opens, `href(i)` for point `i`.

use crate::dashboard::cards::unit;
use crate::dashboard::charts::{
    nps_distribution, ranked_bars, section_bars, trend, weak_spot_bars, NpsGroup,
};
use crate::dashboard::drill::{Drill, ItemRef};
use crate::dashboard::DashboardQuery;
use crate::i18n::{format_decimal, Lang, Msg};
use crate::kpi::ranking::RankEntry;
use crate::kpi::{definition, KpiId, Report};
use crate::routes::Route;

use super::chartjs::Series;
use super::kpi_chart::{Cell, Col, Row};

fn fmt(v: Option<f64>, decimals: usize, lang: Lang) -> String {
    v.map(|v| format_decimal(v, decimals, lang))
        .unwrap_or_else(|| "—".to_owned())
}

pub fn trend_series(r: &Report, kpi: KpiId, lang: Lang) -> Series {
    Series::new(
        definition(kpi).name.get(lang),
        trend(r, kpi).into_iter().map(|p| (p.label, p.value)),
    )
}

pub const TREND_COLS: [Col; 3] = [
    Col::Text(Msg::ColBucket),
    Col::Num(Msg::ColValue),
    Col::Num(Msg::ColN),
];

pub fn trend_rows(
    r: &Report,
    kpi: KpiId,
    lang: Lang,
    href: impl Fn(usize) -> Option<String>,
) -> Vec<Row> {
    let u = unit(kpi);
    trend(r, kpi)
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            vec![
                Cell::Link(p.label, href(i)),
                Cell::Num(
                    p.value
                        .map(|v| u.format(v, lang))
                        .unwrap_or_else(|| "—".into()),
                ),
                Cell::Num(p.n.to_string()),
            ]
        })
        .collect()
}

pub fn section_series(r: &Report, lang: Lang) -> Series {
    Series::new(
        Msg::ChartSections.text(lang),
        section_bars(r)
            .iter()
            .map(|s| (s.title.get(lang).to_owned(), s.score.value)),
    )
}

pub const SECTION_COLS: [Col; 3] = [
    Col::Text(Msg::ColSection),
    Col::Num(Msg::ColScore),
    Col::Num(Msg::ColN),
];

/// A section that is not drawn has no point to open: its name is plain.
pub fn section_rows(r: &Report, lang: Lang, href: impl Fn(usize) -> Option<String>) -> Vec<Row> {
    r.sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let title = s.title.get(lang).to_owned();
            vec![
                match href(i) {
                    Some(href) => Cell::Link(title, Some(href)),
                    None => Cell::Head(title),
                },
                Cell::Num(fmt(s.score.value, 1, lang)),
                Cell::Num(s.score.n.to_string()),
            ]
        })
        .collect()
}

pub fn nps_series(r: &Report, lang: Lang) -> Series {
    Series::new(
        Msg::ChartNps.text(lang),
        nps_distribution(r)
            .iter()
            .map(|(s, n, _)| (s.to_string(), Some(*n as f64))),
    )
}

pub const NPS_COLS: [Col; 3] = [
    Col::Text(Msg::ColAnswer),
    Col::Num(Msg::ColCount),
    Col::Text(Msg::ColGroup),
];

pub fn nps_rows(r: &Report, lang: Lang, href: impl Fn(usize) -> Option<String>) -> Vec<Row> {
    nps_distribution(r)
        .into_iter()
        .map(|(s, n, g)| {
            vec![
                Cell::Link(s.to_string(), href(usize::from(s))),
                Cell::Num(n.to_string()),
                Cell::Text(group_msg(g).text(lang).to_owned()),
            ]
        })
        .collect()
}

pub fn group_msg(g: NpsGroup) -> Msg {
    match g {
        NpsGroup::Promoter => Msg::NpsPromoters,
        NpsGroup::Passive => Msg::NpsPassives,
        NpsGroup::Detractor => Msg::NpsDetractors,
    }
}

/// A ranking (locations or employees by audit score) under `title`, each
/// entry shown as `name(id)`.
pub fn ranking_series(
    title: Msg,
    entries: &[RankEntry],
    name: impl Fn(&str) -> String,
    lang: Lang,
) -> Series {
    Series::new(
        title.text(lang),
        ranked_bars(entries)
            .into_iter()
            .map(|e| (name(&e.id), e.kpi.value)),
    )
}

/// `who`: the column header naming what is ranked.
pub fn ranking_cols(who: Msg) -> [Col; 4] {
    [
        Col::Num(Msg::ColRank),
        Col::Text(who),
        Col::Num(Msg::ColScore),
        Col::Num(Msg::ColN),
    ]
}

/// Every entry, ranked or not (the chart draws the ranked ones only); a
/// row links to the responses of its location or employee, `href(id)`.
pub fn ranking_rows(
    entries: &[RankEntry],
    lang: Lang,
    name: impl Fn(&str) -> String,
    href: impl Fn(&str) -> String,
) -> Vec<Row> {
    entries
        .iter()
        .map(|e| {
            let rank = e
                .rank
                .map(|r| r.to_string())
                .unwrap_or_else(|| Msg::NotRanked.text(lang).to_owned());
            vec![
                Cell::Num(rank),
                Cell::Link(name(&e.id), Some(href(&e.id))),
                Cell::Num(fmt(e.kpi.value, 1, lang)),
                Cell::Num(e.kpi.n.to_string()),
            ]
        })
        .collect()
}

pub fn weak_spot_series(r: &Report, lang: Lang) -> Series {
    Series::new(
        Msg::ChartWeakSpots.text(lang),
        weak_spot_bars(r)
            .iter()
            .map(|w| (w.text.get(lang).to_owned(), w.fail_rate.value)),
    )
}

pub const WEAK_SPOT_COLS: [Col; 4] = [
    Col::Text(Msg::ColItem),
    Col::Num(Msg::ColFailed),
    Col::Num(Msg::ColFailRate),
    Col::Num(Msg::ColN),
];

/// Each row leads to the responses of `view` that failed the item.
pub fn weak_spot_rows(r: &Report, view: &DashboardQuery, lang: Lang) -> Vec<Row> {
    r.weak_spots
        .iter()
        .map(|w| {
            let mut d = Drill::of(view.clone());
            d.failed_item = Some(ItemRef {
                questionnaire_id: w.questionnaire_id.clone(),
                question_id: w.question_id.clone(),
            });
            vec![
                Cell::Link(
                    w.text.get(lang).to_owned(),
                    Some(Route::Responses(d).to_hash()),
                ),
                Cell::Num(w.failed.to_string()),
                Cell::Num(format!("{}%", fmt(w.fail_rate.value, 1, lang))),
                Cell::Num(w.fail_rate.n.to_string()),
            ]
        })
        .collect()
}
