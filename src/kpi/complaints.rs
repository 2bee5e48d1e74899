//! Complaints (рекламации): count per category, location and period, share
//! resolved, median time to resolve.

use crate::domain::Text;

use super::ops::TimeStat;
use super::stats::Kpi;

#[derive(Debug, Clone, PartialEq)]
pub struct CategoryCount {
    /// The option id shared by every version of the complaint form.
    pub id: String,
    pub label: Text,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Complaints {
    pub count: u64,
    /// Share of complaints marked resolved among those that say, 0–100%.
    pub resolved: Kpi,
    pub time_to_resolve: TimeStat,
    /// Most frequent first; categories with no complaint are left out.
    pub by_category: Vec<CategoryCount>,
}

pub(crate) fn sort_categories(v: &mut [CategoryCount]) {
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_sort_by_count_then_id() {
        let c = |id: &str, count| CategoryCount {
            id: id.into(),
            label: Text::default(),
            count,
        };
        let mut v = vec![c("slow", 2), c("rude", 5), c("other", 2)];
        sort_categories(&mut v);
        let ids: Vec<_> = v.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["rude", "other", "slow"]);
    }
}
