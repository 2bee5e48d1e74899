//! The merge, stemming and winner cases of PouchDB's
//! `tests/unit/test.merge.js` (itself a port of CouchDB's
//! `060-kt-merging.t`), rewritten as Rust tests with the same trees and the
//! same expectations, plus properties over random histories.

use super::*;
use proptest::prelude::*;

fn n(hash: &str, children: Vec<Node>) -> Node {
    Node {
        hash: hash.to_owned(),
        opts: NodeOpts::default(),
        children,
    }
}

fn b(pos: u64, ids: Node) -> Branch {
    Branch { pos, ids }
}

fn revs(list: &[&str]) -> Vec<Rev> {
    list.iter().map(|r| Rev::parse(r).unwrap()).collect()
}

fn check(
    tree: &[Branch],
    path: &Branch,
    depth: usize,
    want: &[Branch],
    stemmed: &[&str],
    result: MergeResult,
) {
    let merged = merge(tree, path, depth);
    assert_eq!(merged.tree, want, "tree");
    assert_eq!(merged.stemmed, revs(stemmed), "stemmed revisions");
    assert_eq!(merged.result, result, "merge result");
}

// The fixtures of test.merge.js's `beforeEach`.
fn simple() -> Branch {
    b(1, n("1", vec![]))
}
fn two0() -> Branch {
    b(1, n("1", vec![n("2_0", vec![])]))
}
fn two1() -> Branch {
    b(1, n("1", vec![n("2_1", vec![])]))
}
fn newleaf() -> Branch {
    b(2, n("2_0", vec![n("3", vec![])]))
}
fn withnewleaf() -> Branch {
    b(1, n("1", vec![n("2_0", vec![n("3", vec![])])]))
}
fn newbranch() -> Branch {
    b(1, n("1", vec![n("2_0", vec![]), n("2_1", vec![])]))
}
fn newdeepbranch() -> Branch {
    b(2, n("2_0", vec![n("3_1", vec![])]))
}
fn stemmededit() -> Branch {
    b(3, n("3", vec![]))
}
fn newbranchleaf() -> Branch {
    b(
        1,
        n("1", vec![n("2_0", vec![n("3", vec![])]), n("2_1", vec![])]),
    )
}
fn newbranchleafbranch() -> Branch {
    b(
        1,
        n(
            "1",
            vec![
                n("2_0", vec![n("3", vec![]), n("3_1", vec![])]),
                n("2_1", vec![]),
            ],
        ),
    )
}
fn stemmed2() -> Vec<Branch> {
    vec![
        b(1, n("1", vec![n("2_1", vec![])])),
        b(2, n("2_0", vec![n("3", vec![]), n("3_1", vec![])])),
    ]
}
fn stemmed3() -> Vec<Branch> {
    vec![
        b(2, n("2_1", vec![])),
        b(3, n("3", vec![])),
        b(3, n("3_1", vec![])),
    ]
}
fn partialrecover() -> Vec<Branch> {
    vec![
        b(1, n("1", vec![n("2_0", vec![n("3", vec![])])])),
        b(2, n("2_1", vec![])),
        b(3, n("3_1", vec![])),
    ]
}

use MergeResult::{InternalNode, NewBranch, NewLeaf};

#[test]
fn merging_a_path_into_an_empty_tree_is_the_path() {
    check(&[], &simple(), 10, &[simple()], &[], NewLeaf);
}

#[test]
fn remerge_path_into_path_is_reflexive() {
    check(&[simple()], &simple(), 10, &[simple()], &[], InternalNode);
}

#[test]
fn merging_a_path_with_multiple_entries_is_the_path() {
    check(&[], &two0(), 10, &[two0()], &[], NewLeaf);
}

#[test]
fn merging_a_path_with_multiple_entries_is_reflexive() {
    check(&[two0()], &two0(), 10, &[two0()], &[], InternalNode);
}

#[test]
fn merging_a_subpath_into_a_path_results_in_the_path() {
    check(&[two0()], &simple(), 10, &[two0()], &[], InternalNode);
}

#[test]
fn merging_a_new_leaf_gives_us_a_new_leaf() {
    check(&[two0()], &newleaf(), 10, &[withnewleaf()], &[], NewLeaf);
}

#[test]
fn merging_a_new_branch_returns_a_proper_tree() {
    check(&[two0()], &two1(), 10, &[newbranch()], &[], NewBranch);
}

#[test]
fn order_of_merging_does_not_affect_the_resulting_tree() {
    check(&[two1()], &two0(), 10, &[newbranch()], &[], NewBranch);
}

#[test]
fn merging_a_new_leaf_doesnt_return_new_branch_when_branches_exist() {
    check(
        &[newbranch()],
        &newleaf(),
        10,
        &[newbranchleaf()],
        &[],
        NewLeaf,
    );
}

#[test]
fn merging_a_deep_branch_with_branches_works() {
    check(
        &[newbranchleaf()],
        &newdeepbranch(),
        10,
        &[newbranchleafbranch()],
        &[],
        NewBranch,
    );
}

#[test]
fn new_information_reconnects_stemming_induced_conflicts() {
    check(
        &[simple(), stemmededit()],
        &withnewleaf(),
        10,
        &[withnewleaf()],
        &[],
        NewLeaf,
    );
}

#[test]
fn simple_stemming_works() {
    check(&[two0()], &newleaf(), 2, &[newleaf()], &["1-1"], NewLeaf);
}

#[test]
fn merge_with_stemming_works_correctly_for_branches() {
    check(
        &[newbranchleafbranch()],
        &simple(),
        2,
        &stemmed2(),
        &[],
        InternalNode,
    );
}

#[test]
fn merge_with_stemming_to_leaves_works_fine() {
    check(
        &[newbranchleafbranch()],
        &simple(),
        1,
        &stemmed3(),
        &["1-1", "2-2_0"],
        InternalNode,
    );
}

#[test]
fn merging_unstemmed_recovers_as_much_as_possible_without_losing_info() {
    check(
        &stemmed3(),
        &withnewleaf(),
        10,
        &partialrecover(),
        &[],
        InternalNode,
    );
}

#[test]
fn winning_rev_returns_the_longest_leaf() {
    let tree = vec![b(
        1,
        n(
            "bfe70372c90ded1087239e5191984f76",
            vec![
                n("44d71a718b90e4696c06a90e08912c8f", vec![]),
                n(
                    "56e657612d55ab1a402dcb281c874f2a",
                    vec![n("93c3db16462f656f7172ccabd3cf6cd6", vec![])],
                ),
            ],
        ),
    )];
    assert_eq!(
        winning_rev(&tree).unwrap().to_string(),
        "3-93c3db16462f656f7172ccabd3cf6cd6"
    );
}

#[test]
fn winning_rev_returns_the_longest_leaf_again() {
    // PouchDB issue #293.
    let tree = vec![
        b(
            1,
            n(
                "203db1a1810a838895d561f67b224b5d",
                vec![n(
                    "bf5e08a4f9fa6d33a53f4a00ae3ea399",
                    vec![n("28cd77a3ca30f79e1cfffcd6a41ca308", vec![])],
                )],
            ),
        ),
        b(
            1,
            n(
                "c6d5cce35bcfbef90b20f140d723cbdb",
                vec![
                    n("1b8dfbb1267e213328920bae43f2f597", vec![]),
                    n(
                        "59ed830b84b276ab776c3c51aaf93a16",
                        vec![n("64a9842c6aea50bf24660378e496e853", vec![])],
                    ),
                ],
            ),
        ),
    ];
    assert_eq!(
        winning_rev(&tree).unwrap().to_string(),
        "3-64a9842c6aea50bf24660378e496e853"
    );
}

// The cases test.merge.js takes from CouchDB's kt-merging suite.
fn one() -> Branch {
    b(1, n("1", vec![]))
}
fn two() -> Branch {
    b(1, n("2", vec![]))
}
fn three() -> Branch {
    b(1, n("3", vec![]))
}
fn two_child() -> Branch {
    b(1, n("1", vec![n("1a", vec![n("1aa", vec![])])]))
}
fn two_child_sibs() -> Branch {
    b(1, n("1", vec![n("1a", vec![]), n("1b", vec![])]))
}
fn two_child_plus_sibs() -> Branch {
    b(
        1,
        n("1", vec![n("1a", vec![n("1aa", vec![])]), n("1b", vec![])]),
    )
}
fn two_child_plus_sibs2() -> Branch {
    b(
        1,
        n("1", vec![n("1a", vec![]), n("1b", vec![n("1bb", vec![])])]),
    )
}
fn stemmed1b() -> Branch {
    b(2, n("1a", vec![]))
}
fn stemmed1bb() -> Branch {
    b(3, n("1bb", vec![]))
}
fn stemmed1aa() -> Branch {
    b(3, n("1aa", vec![]))
}
fn stemmed1a() -> Branch {
    b(2, n("1a", vec![n("1aa", vec![])]))
}
fn one_child() -> Branch {
    b(1, n("1", vec![n("1a", vec![])]))
}

#[test]
fn the_empty_tree_is_the_identity_for_merge() {
    check(&[], &one(), 10, &[one()], &[], NewLeaf);
}

#[test]
fn merging_is_reflexive() {
    check(&[one()], &one(), 10, &[one()], &[], InternalNode);
}

#[test]
fn merging_a_prefix_of_a_tree_with_the_tree_yields_the_tree() {
    check(
        &[one(), two()],
        &one(),
        10,
        &[one(), two()],
        &[],
        InternalNode,
    );
}

#[test]
fn merging_a_third_unrelated_branch_leads_to_a_conflict() {
    check(
        &[one(), two()],
        &three(),
        10,
        &[one(), two(), three()],
        &[],
        InternalNode,
    );
}

#[test]
fn merging_two_children_is_still_reflexive() {
    check(
        &[two_child()],
        &two_child(),
        10,
        &[two_child()],
        &[],
        InternalNode,
    );
}

#[test]
fn merging_a_tree_to_itself_is_itself() {
    check(
        &[two_child_sibs()],
        &two_child_sibs(),
        10,
        &[two_child_sibs()],
        &[],
        InternalNode,
    );
}

#[test]
fn merging_tree_of_uneven_length_at_node_2() {
    check(
        &[two_child()],
        &two_child_sibs(),
        10,
        &[two_child_plus_sibs()],
        &[],
        NewBranch,
    );
}

#[test]
fn merging_a_tree_with_a_stem() {
    check(
        &[two_child_sibs()],
        &stemmed1b(),
        10,
        &[two_child_sibs()],
        &[],
        InternalNode,
    );
}

#[test]
fn merging_a_stem_at_a_deeper_level() {
    check(
        &[two_child_plus_sibs2()],
        &stemmed1bb(),
        10,
        &[two_child_plus_sibs2()],
        &[],
        InternalNode,
    );
}

#[test]
fn merging_a_stem_at_a_deeper_level_against_paths_at_deeper_levels() {
    let tree = vec![b(2, n("1a", vec![])), b(2, n("1b", vec![n("1bb", vec![])]))];
    check(&tree, &stemmed1bb(), 10, &tree, &[], InternalNode);
}

#[test]
fn merging_a_single_tree_with_a_deeper_stem() {
    check(
        &[two_child()],
        &stemmed1aa(),
        10,
        &[two_child()],
        &[],
        InternalNode,
    );
}

#[test]
fn merging_a_larger_stem() {
    check(
        &[two_child()],
        &stemmed1a(),
        10,
        &[two_child()],
        &[],
        InternalNode,
    );
}

#[test]
fn more_merging() {
    check(
        &[stemmed1a()],
        &stemmed1aa(),
        10,
        &[stemmed1a()],
        &[],
        InternalNode,
    );
}

#[test]
fn merging_should_create_conflicts() {
    check(
        &[one_child()],
        &stemmed1aa(),
        10,
        &[one_child(), stemmed1aa()],
        &[],
        InternalNode,
    );
}

#[test]
fn merging_should_have_no_conflicts() {
    check(
        &[one_child(), stemmed1aa()],
        &two_child(),
        10,
        &[two_child()],
        &[],
        NewLeaf,
    );
}

#[test]
fn merging_trees_with_conflicts_ought_to_behave() {
    let foo = b(1, n("foo", vec![n("foo2", vec![]), n("foo3", vec![])]));
    let bar = b(1, n("foo", vec![n("foo3", vec![n("foo4", vec![])])]));
    let foo_bar = b(
        1,
        n(
            "foo",
            vec![n("foo2", vec![]), n("foo3", vec![n("foo4", vec![])])],
        ),
    );
    check(&[foo], &bar, 10, &[foo_bar], &[], NewLeaf);
}

// Beyond test.merge.js: the winner's tie-breaks and the helpers around it.

fn deleted_leaf(hash: &str) -> Node {
    Node::leaf(
        hash,
        NodeOpts {
            status: None,
            deleted: true,
        },
    )
}

#[test]
fn not_deleted_beats_deleted_even_when_shorter() {
    let tree = vec![b(
        1,
        n(
            "a",
            vec![
                n("b", vec![n("c", vec![deleted_leaf("d")])]),
                n("x", vec![]),
            ],
        ),
    )];
    assert_eq!(winning_rev(&tree), Some(Rev::new(2, "x")));
    assert_eq!(is_deleted(&tree, None), Some(false));
    assert_eq!(is_deleted(&tree, Some(&Rev::new(4, "d"))), Some(true));
    assert_eq!(is_deleted(&tree, Some(&Rev::new(9, "d"))), None);
    // A deleted leaf is not a conflict.
    assert!(collect_conflicts(&tree).is_empty());
}

#[test]
fn all_deleted_the_longest_deletion_wins() {
    let tree = vec![b(
        1,
        n(
            "a",
            vec![deleted_leaf("b"), n("c", vec![deleted_leaf("d")])],
        ),
    )];
    assert_eq!(winning_rev(&tree), Some(Rev::new(3, "d")));
    assert_eq!(is_deleted(&tree, None), Some(true));
}

#[test]
fn equal_length_the_highest_hash_wins_and_the_other_is_the_conflict() {
    let tree = vec![b(
        1,
        n("a", vec![n("2b", vec![]), n("2a", vec![]), n("2c", vec![])]),
    )];
    assert_eq!(winning_rev(&tree), Some(Rev::new(2, "2c")));
    let mut conflicts = collect_conflicts(&tree);
    conflicts.sort();
    assert_eq!(conflicts, revs(&["2-2a", "2-2b"]));
    assert!(winning_rev(&[]).is_none());
}

#[test]
fn collect_leaves_highest_position_first() {
    let leaves: Vec<Rev> = collect_leaves(&[newbranchleafbranch()])
        .into_iter()
        .map(|l| l.rev)
        .collect();
    assert_eq!(leaves.len(), 3);
    assert_eq!(leaves[2], Rev::new(2, "2_1"));
    let mut top: Vec<Rev> = leaves[..2].to_vec();
    top.sort();
    assert_eq!(top, revs(&["3-3", "3-3_1"]));
}

#[test]
fn rev_exists_checks_position_and_hash() {
    let tree = [newbranchleafbranch()];
    assert!(rev_exists(&tree, &Rev::new(2, "2_0")));
    assert!(rev_exists(&tree, &Rev::new(1, "1")));
    assert!(!rev_exists(&tree, &Rev::new(3, "2_0")));
    assert!(!rev_exists(&tree, &Rev::new(2, "nope")));
}

#[test]
fn root_to_leaf_lists_every_path() {
    let paths = root_to_leaf(&stemmed2());
    let printed: Vec<(u64, Vec<&str>)> = paths
        .iter()
        .map(|p| (p.pos, p.ids.iter().map(|n| n.hash.as_str()).collect()))
        .collect();
    assert_eq!(printed.len(), 3);
    assert!(printed.contains(&(1, vec!["1", "2_1"])));
    assert!(printed.contains(&(2, vec!["2_0", "3"])));
    assert!(printed.contains(&(2, vec!["2_0", "3_1"])));
}

#[test]
fn revisions_build_the_path_pouchdb_builds() {
    let revisions = Revisions {
        start: 3,
        ids: vec!["c".into(), "b".into(), "a".into()],
    };
    let path = revisions.to_path(true).unwrap();
    let missing = NodeOpts {
        status: Some(Status::Missing),
        deleted: false,
    };
    let leaf = NodeOpts {
        status: Some(Status::Available),
        deleted: true,
    };
    assert_eq!(
        path,
        b(
            1,
            Node {
                hash: "a".into(),
                opts: missing,
                children: vec![Node {
                    hash: "b".into(),
                    opts: missing,
                    children: vec![Node::leaf("c", leaf)],
                }],
            }
        )
    );
    // A stemmed history starts higher up.
    let stemmed = Revisions {
        start: 10,
        ids: vec!["j".into(), "i".into()],
    };
    assert_eq!(stemmed.to_path(false).unwrap().pos, 9);
    assert!(stemmed.contains(&Rev::new(9, "i")));
    assert!(!stemmed.contains(&Rev::new(8, "i")));
    assert_eq!(
        revisions_of(&[path], &Rev::new(3, "c")),
        Some(revisions.clone())
    );
}

#[test]
fn revisions_refuse_impossible_histories() {
    let none = Revisions {
        start: 1,
        ids: vec![],
    };
    assert_eq!(none.to_path(false), Err(RevisionsError::NoIds));
    let long = Revisions {
        start: 1,
        ids: vec!["b".into(), "a".into()],
    };
    assert_eq!(
        long.check(),
        Err(RevisionsError::LongerThanStart { start: 1, ids: 2 })
    );
    let bad = Revisions {
        start: 2,
        ids: vec!["b".into(), "".into()],
    };
    assert!(matches!(
        bad.check(),
        Err(RevisionsError::BadHash { index: 1, .. })
    ));
}

#[test]
fn status_available_wins_when_merging() {
    let missing = Revisions {
        start: 2,
        ids: vec!["b".into(), "a".into()],
    }
    .to_path(false)
    .unwrap();
    let available = Revisions {
        start: 1,
        ids: vec!["a".into()],
    }
    .to_path(false)
    .unwrap();
    let merged = merge(&[missing], &available, 10);
    assert_eq!(merged.tree[0].ids.opts.status, Some(Status::Available));
}

#[test]
fn a_long_history_is_stemmed_to_the_limit() {
    let ids: Vec<String> = (1..=1500).rev().map(|i| format!("h{i}")).collect();
    let path = Revisions { start: 1500, ids }.to_path(false).unwrap();
    let merged = merge(&[], &path, DEFAULT_REVS_LIMIT);
    assert_eq!(merged.tree.len(), 1);
    assert_eq!(merged.tree[0].pos, 501);
    assert_eq!(root_to_leaf(&merged.tree)[0].ids.len(), DEFAULT_REVS_LIMIT);
    assert_eq!(merged.stemmed.len(), 500);
    assert_eq!(winning_rev(&merged.tree), Some(Rev::new(1500, "h1500")));
}

#[test]
fn serde_in_pouchdb_shape() {
    let tree = vec![b(
        1,
        Node {
            hash: "a".into(),
            opts: NodeOpts {
                status: Some(Status::Missing),
                deleted: false,
            },
            children: vec![deleted_leaf("b")],
        },
    )];
    let json = serde_json::to_value(&tree).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{"pos": 1, "ids": ["a", {"status": "missing"}, [["b", {"deleted": true}, []]]]}])
    );
    let back: RevTree = serde_json::from_value(json).unwrap();
    assert_eq!(back, tree);
}

// Properties over random histories: a "universe" is a document's true
// revision tree (node i's parent is an earlier node); replication hands out
// paths from a node back towards the root, sometimes stemmed.

#[derive(Debug, Clone)]
struct Universe {
    parent: Vec<usize>,
    deleted: Vec<bool>,
}

impl Universe {
    fn depth(&self, mut i: usize) -> u64 {
        let mut d = 1;
        while i != 0 {
            i = self.parent[i];
            d += 1;
        }
        d
    }
    fn is_leaf(&self, i: usize) -> bool {
        !self.parent.iter().skip(1).any(|&p| p == i)
    }
    /// `_revisions` of node `i`, keeping at most `keep` revisions.
    fn revisions(&self, i: usize, keep: usize) -> Revisions {
        let mut ids = Vec::new();
        let mut at = i;
        loop {
            ids.push(format!("h{at:02}"));
            if at == 0 || ids.len() >= keep {
                break;
            }
            at = self.parent[at];
        }
        Revisions {
            start: self.depth(i),
            ids,
        }
    }
    fn path(&self, i: usize, keep: usize) -> Branch {
        let deleted = self.deleted[i] && self.is_leaf(i);
        self.revisions(i, keep).to_path(deleted).unwrap()
    }
}

fn universe() -> impl Strategy<Value = Universe> {
    (2usize..14).prop_flat_map(|len| {
        let parents: Vec<BoxedStrategy<usize>> = (0..len)
            .map(|i| {
                if i == 0 {
                    Just(0).boxed()
                } else {
                    (0..i).boxed()
                }
            })
            .collect();
        (parents, proptest::collection::vec(any::<bool>(), len))
            .prop_map(|(parent, deleted)| Universe { parent, deleted })
    })
}

/// A universe and a list of (node, revisions kept) paths to merge.
fn universe_and_paths(full: bool) -> impl Strategy<Value = (Universe, Vec<(usize, usize)>)> {
    universe().prop_flat_map(move |u| {
        let len = u.parent.len();
        let keep = if full {
            (100usize..101).boxed()
        } else {
            (1usize..6).boxed()
        };
        let paths = proptest::collection::vec((0..len, keep), 1..10);
        (Just(u), paths)
    })
}

fn merge_all(u: &Universe, paths: &[(usize, usize)], limit: usize) -> RevTree {
    let mut tree = Vec::new();
    for &(i, keep) in paths {
        tree = merge(&tree, &u.path(i, keep), limit).tree;
    }
    tree
}

fn leaf_set(tree: &[Branch]) -> Vec<Rev> {
    let mut leaves: Vec<Rev> = collect_leaves(tree).into_iter().map(|l| l.rev).collect();
    leaves.sort();
    leaves
}

proptest! {
    #[test]
    fn merging_the_same_path_twice_changes_nothing((u, paths) in universe_and_paths(false)) {
        let tree = merge_all(&u, &paths, DEFAULT_REVS_LIMIT);
        for &(i, keep) in &paths {
            let again = merge(&tree, &u.path(i, keep), DEFAULT_REVS_LIMIT);
            prop_assert_eq!(&again.tree, &tree);
            prop_assert_eq!(again.result, MergeResult::InternalNode);
        }
    }

    #[test]
    fn merge_order_of_full_paths_does_not_matter(
        (u, paths) in universe_and_paths(true),
        seed in any::<u64>(),
    ) {
        let tree = merge_all(&u, &paths, DEFAULT_REVS_LIMIT);
        let mut shuffled = paths.clone();
        // A deterministic shuffle from the seed.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let other = merge_all(&u, &shuffled, DEFAULT_REVS_LIMIT);
        prop_assert_eq!(&other, &tree);
        prop_assert_eq!(winning_rev(&other), winning_rev(&tree));
        let mut c1 = collect_conflicts(&tree); c1.sort();
        let mut c2 = collect_conflicts(&other); c2.sort();
        prop_assert_eq!(c1, c2);
    }

    #[test]
    fn merge_order_of_stemmed_paths_keeps_leaves_and_winner(
        (u, paths) in universe_and_paths(false),
    ) {
        let forward = merge_all(&u, &paths, DEFAULT_REVS_LIMIT);
        let reversed: Vec<_> = paths.iter().rev().cloned().collect();
        let backward = merge_all(&u, &reversed, DEFAULT_REVS_LIMIT);
        prop_assert_eq!(leaf_set(&forward), leaf_set(&backward));
        prop_assert_eq!(winning_rev(&forward), winning_rev(&backward));
    }

    #[test]
    fn the_winner_is_always_a_leaf((u, paths) in universe_and_paths(false), limit in 1usize..5) {
        let tree = merge_all(&u, &paths, limit);
        let winner = winning_rev(&tree).unwrap();
        prop_assert!(leaf_set(&tree).contains(&winner));
        prop_assert!(!collect_conflicts(&tree).contains(&winner));
    }

    #[test]
    fn stemming_keeps_every_leaf((u, paths) in universe_and_paths(true), depth in 1usize..6) {
        let tree = merge_all(&u, &paths, DEFAULT_REVS_LIMIT);
        let (stemmed, gone) = stem(&tree, depth);
        prop_assert_eq!(leaf_set(&stemmed), leaf_set(&tree));
        prop_assert_eq!(winning_rev(&stemmed), winning_rev(&tree));
        for path in root_to_leaf(&stemmed) {
            prop_assert!(path.ids.len() <= depth);
        }
        for rev in &gone {
            prop_assert!(!rev_exists(&stemmed, rev));
        }
    }
}
