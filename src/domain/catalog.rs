//! Choosing among stored questionnaire versions.

use std::collections::BTreeMap;

use super::questionnaire::Questionnaire;

/// The newest version of each questionnaire id, ordered by id.
pub fn newest_per_id(versions: impl IntoIterator<Item = Questionnaire>) -> Vec<Questionnaire> {
    let mut newest: BTreeMap<String, Questionnaire> = BTreeMap::new();
    for q in versions {
        if newest
            .get(&q.id)
            .is_none_or(|have| have.version < q.version)
        {
            newest.insert(q.id.clone(), q);
        }
    }
    newest.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(id: &str, v: u32) -> Questionnaire {
        let mut q = crate::templates::find("tpl-retail-quick", 1).unwrap();
        q.id = id.into();
        q.version = v;
        q
    }

    #[test]
    fn keeps_only_the_newest_version_of_each() {
        let got = newest_per_id([
            version("b", 1),
            version("a", 3),
            version("b", 4),
            version("a", 2),
        ]);
        let ids: Vec<(String, u32)> = got.into_iter().map(|q| (q.id, q.version)).collect();
        assert_eq!(ids, vec![("a".into(), 3), ("b".into(), 4)]);
        assert!(newest_per_id([]).is_empty());
    }
}
