//! Response pages: how responses that arrive in files are stored, many to
//! one IndexedDB record.
//!
//! Why: in Chromium each IndexedDB record costs about 60 µs to put however
//! small it is, and 130 µs at the size of a response (measured: 100k puts
//! of 865-character strings take 12.4 s, of `{id}` objects 6.1 s), so a
//! 100k-response import with one record per response cannot finish in the
//! 10 s the product asks for. The same responses put 500 to a record take
//! 1.1 s, with an index from every response id to its page. Responses
//! entered on this device stay one record each: an answer is written the
//! moment it is given, and rewriting a page of 500 for each tap would be
//! the wrong trade.
//!
//! A page record is `{id, ids, json}`: `ids` the response ids (a
//! multi-entry index finds a response's page), `json` the responses as a
//! JSON array, the same JSON a single record holds.
//!
//! The rule that keeps both layouts one set: a response id is read from
//! its single record when there is one, and from its page otherwise. A
//! response kept in a page and then changed on this device is written as a
//! single record, which from then on is the one read (the page's copy is
//! "shadowed" and dropped the next time its page is written). An import
//! puts responses new to the device in new pages, newer copies of single
//! records over those records, and newer copies of paged responses by
//! writing their page again. [`Layout`] is where each stored response
//! lives; [`plan`] decides where an import's responses go.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use crate::domain::Response;

/// Responses per page: a 100k import then writes 200 records, and a
/// page rewritten for one changed response stays under half a megabyte.
pub const PAGE_SIZE: usize = 500;

/// Where each stored response lives.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Layout {
    singles: HashSet<Uuid>,
    /// Each page's ids, as stored (shadowed ones included).
    members: HashMap<String, Vec<Uuid>>,
    /// The page of every id in [`Self::members`].
    pages: HashMap<Uuid, String>,
}

impl Layout {
    pub fn add_single(&mut self, id: Uuid) {
        self.singles.insert(id);
    }

    pub fn add_page(&mut self, page: String, ids: Vec<Uuid>) {
        for id in &ids {
            self.pages.insert(*id, page.clone());
        }
        self.members.insert(page, ids);
    }

    /// Whether `id` is stored at all.
    pub fn contains(&self, id: Uuid) -> bool {
        self.singles.contains(&id) || self.page_of(id).is_some()
    }

    pub fn is_single(&self, id: Uuid) -> bool {
        self.singles.contains(&id)
    }

    /// The page `id` is read from: none when a single record shadows it.
    pub fn page_of(&self, id: Uuid) -> Option<&str> {
        if self.singles.contains(&id) {
            return None;
        }
        self.pages.get(&id).map(String::as_str)
    }
}

/// Where an import's responses go.
#[derive(Debug, Default, PartialEq)]
pub struct Plan<'a> {
    /// Newer copies of responses stored as single records.
    pub singles: Vec<&'a Response>,
    /// Responses new to the device: put in new pages of [`PAGE_SIZE`].
    pub fresh: Vec<&'a Response>,
    /// Pages written again whole, by page id: their unshadowed members,
    /// each the import's copy when it has one and the stored one
    /// otherwise, in the page's order.
    pub rewrites: Vec<(String, Vec<&'a Response>)>,
}

/// A paged response the stored set does not hold: the layout and the
/// responses were not read together.
#[derive(Debug, Clone, PartialEq)]
pub struct Inconsistent(pub Uuid);

/// Sorts the responses an import puts (`put`, at most one per id) by where
/// they go. `stored` finds a stored response by id; a rewritten page needs
/// its other members.
pub fn plan<'a>(
    layout: &Layout,
    put: &'a [Response],
    stored: impl Fn(Uuid) -> Option<&'a Response>,
) -> Result<Plan<'a>, Inconsistent> {
    let mut out = Plan::default();
    let mut updated: HashMap<&str, HashMap<Uuid, &'a Response>> = HashMap::new();
    for r in put {
        if layout.is_single(r.id) {
            out.singles.push(r);
        } else if let Some(page) = layout.page_of(r.id) {
            updated.entry(page).or_default().insert(r.id, r);
        } else {
            out.fresh.push(r);
        }
    }
    let mut pages: Vec<&str> = updated.keys().copied().collect();
    pages.sort_unstable();
    for page in pages {
        let newer = &updated[page];
        let mut members = Vec::new();
        for id in &layout.members[page] {
            if layout.is_single(*id) {
                continue;
            }
            match newer.get(id).copied().or_else(|| stored(*id)) {
                Some(r) => members.push(r),
                None => return Err(Inconsistent(*id)),
            }
        }
        out.rewrites.push((page.to_owned(), members));
    }
    Ok(out)
}

/// A page's `json`: the responses as one JSON array.
pub fn page_json(responses: &[&Response]) -> serde_json::Result<String> {
    serde_json::to_string(responses)
}

/// A page's `ids`, comma-separated (the JS side splits them).
pub fn page_ids(responses: &[&Response]) -> String {
    let mut out = String::with_capacity(responses.len() * 37);
    for (i, r) in responses.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&r.id.to_string());
    }
    out
}

/// The responses of a page's `json`.
pub fn read_page(json: &str) -> serde_json::Result<Vec<Response>> {
    serde_json::from_str(json)
}

/// The responses a reader sees: every single record, and every paged one
/// no single record shadows, ordered by id as one IndexedDB store would
/// return them.
pub fn visible(singles: Vec<Response>, paged: Vec<Response>) -> Vec<Response> {
    let shadowing: HashSet<Uuid> = singles.iter().map(|r| r.id).collect();
    let mut all = singles;
    all.extend(paged.into_iter().filter(|r| !shadowing.contains(&r.id)));
    all.sort_unstable_by_key(|r| r.id);
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::test_data::at;

    fn response(n: u128, minutes: i64) -> Response {
        let mut r = Response::new_draft(Uuid::from_u128(n), "q", 1, "loc", "d", at(0));
        r.updated_at = at(minutes);
        r
    }

    fn ids(rs: &[&Response]) -> Vec<u128> {
        rs.iter().map(|r| r.id.as_u128()).collect()
    }

    #[test]
    fn new_responses_go_to_fresh_pages_and_single_ones_stay_single() {
        let mut layout = Layout::default();
        layout.add_single(Uuid::from_u128(1));
        let put = [response(1, 5), response(2, 5)];
        let p = plan(&layout, &put, |_| None).unwrap();
        assert_eq!(ids(&p.singles), [1]);
        assert_eq!(ids(&p.fresh), [2]);
        assert!(p.rewrites.is_empty());
    }

    #[test]
    fn a_newer_paged_response_rewrites_its_page_keeping_the_others() {
        let stored = [response(10, 0), response(11, 0), response(12, 0)];
        let mut layout = Layout::default();
        layout.add_page("p".into(), vec![stored[0].id, stored[1].id, stored[2].id]);
        let put = [response(11, 9)];
        let p = plan(&layout, &put, |id| stored.iter().find(|r| r.id == id)).unwrap();
        assert!(p.singles.is_empty() && p.fresh.is_empty());
        let [(page, members)] = &p.rewrites[..] else {
            panic!("one page rewritten: {:?}", p.rewrites)
        };
        assert_eq!(page, "p");
        assert_eq!(ids(members), [10, 11, 12]);
        assert_eq!(members[1].updated_at, put[0].updated_at);
        assert_eq!(members[0].updated_at, stored[0].updated_at);
    }

    #[test]
    fn a_shadowed_copy_is_not_read_and_leaves_its_page_when_rewritten() {
        let stored = [response(20, 0), response(21, 0)];
        let mut layout = Layout::default();
        layout.add_page("p".into(), vec![stored[0].id, stored[1].id]);
        layout.add_single(stored[0].id);
        assert_eq!(layout.page_of(stored[0].id), None);
        assert_eq!(layout.page_of(stored[1].id), Some("p"));
        assert!(layout.contains(stored[0].id) && layout.contains(stored[1].id));
        let put = [response(20, 9), response(21, 9)];
        let p = plan(&layout, &put, |id| stored.iter().find(|r| r.id == id)).unwrap();
        assert_eq!(ids(&p.singles), [20]);
        assert_eq!(ids(&p.rewrites[0].1), [21]);
    }

    #[test]
    fn a_paged_member_missing_from_the_stored_set_is_an_error_not_a_loss() {
        let mut layout = Layout::default();
        layout.add_page("p".into(), vec![Uuid::from_u128(30), Uuid::from_u128(31)]);
        let put = [response(30, 9)];
        assert_eq!(
            plan(&layout, &put, |_| None),
            Err(Inconsistent(Uuid::from_u128(31)))
        );
    }

    #[test]
    fn a_page_reads_back_what_was_written() {
        let rs = [response(40, 1), response(41, 2)];
        let refs: Vec<&Response> = rs.iter().collect();
        assert_eq!(read_page(&page_json(&refs).unwrap()).unwrap(), rs);
        assert_eq!(page_ids(&refs), format!("{},{}", rs[0].id, rs[1].id));
    }

    #[test]
    fn readers_see_single_records_over_paged_copies_in_id_order() {
        let singles = vec![response(52, 9), response(50, 9)];
        let paged = vec![response(51, 0), response(52, 0)];
        let seen = visible(singles, paged);
        assert_eq!(
            seen.iter().map(|r| r.id.as_u128()).collect::<Vec<_>>(),
            [50, 51, 52]
        );
        assert_eq!(seen[2].updated_at, at(9));
    }
}
