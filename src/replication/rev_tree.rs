//! Revision trees as PouchDB keeps them (`pouchdb-merge`), so the merge, the
//! stemming and the winner are the ones every PouchDB and CouchDB peer
//! computes: a tree is a list of branches `{pos, ids: [hash, opts, children]}`,
//! several when stemming or replication cut a history into pieces.
//!
//! The merge follows PouchDB step for step, including the order in which it
//! visits nodes, because that order decides which of `new_leaf` and
//! `new_branch` is reported and how children are ordered. Functions here are
//! pure: they take a tree and give a new one.

use super::rev::{check_hash, Rev, RevError};
use serde::{Deserialize, Serialize};

/// CouchDB's and PouchDB's default `revs_limit`.
pub const DEFAULT_REVS_LIMIT: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The body of this revision is (or was) stored.
    Available,
    /// Known only as an ancestor named in `_revisions`.
    Missing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NodeOpts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// One revision and the revisions made on top of it. Children are kept
/// sorted by hash, as PouchDB inserts them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "NodeRepr", into = "NodeRepr")]
pub struct Node {
    pub hash: String,
    pub opts: NodeOpts,
    pub children: Vec<Node>,
}

/// PouchDB's JSON shape of a node: `[hash, opts, children]`. Deep histories
/// nest deeply; a deserializer with a recursion limit (serde_json's is 128)
/// needs it raised to read trees longer than about 60 revisions.
#[derive(Serialize, Deserialize)]
struct NodeRepr(String, NodeOpts, Vec<Node>);

impl From<NodeRepr> for Node {
    fn from(NodeRepr(hash, opts, children): NodeRepr) -> Node {
        Node {
            hash,
            opts,
            children,
        }
    }
}

impl From<Node> for NodeRepr {
    fn from(node: Node) -> NodeRepr {
        NodeRepr(node.hash, node.opts, node.children)
    }
}

impl Node {
    pub fn leaf(hash: impl Into<String>, opts: NodeOpts) -> Node {
        Node {
            hash: hash.into(),
            opts,
            children: Vec::new(),
        }
    }
}

/// A subtree whose root sits at position `pos` (1 for a full history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    pub pos: u64,
    pub ids: Node,
}

pub type RevTree = Vec<Branch>;

/// What a merge did to the tree, PouchDB's `conflicts` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeResult {
    /// The path extended an existing leaf (or the tree was empty).
    NewLeaf,
    /// The path added a sibling: a conflict.
    NewBranch,
    /// Nothing new at a leaf: the path was known, or it joined as a root of
    /// its own.
    InternalNode,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub tree: RevTree,
    pub result: MergeResult,
    /// Revisions that stemming removed from the tree.
    pub stemmed: Vec<Rev>,
}

/// One node on a root-to-leaf path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathNode {
    pub hash: String,
    pub opts: NodeOpts,
}

/// A root-to-leaf path: `ids[0]` sits at `pos`, the last one is the leaf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub pos: u64,
    pub ids: Vec<PathNode>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    pub rev: Rev,
    pub opts: NodeOpts,
}

/// A document's `_revisions`: `ids[0]` is the hash at `start`, then its
/// ancestors, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revisions {
    pub start: u64,
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevisionsError {
    NoIds,
    /// More ancestors than positions below `start`.
    LongerThanStart {
        start: u64,
        ids: usize,
    },
    BadHash {
        index: usize,
        error: RevError,
    },
}

impl Revisions {
    /// The revision the list describes.
    pub fn rev(&self) -> Option<Rev> {
        self.ids.first().map(|h| Rev::new(self.start, h.clone()))
    }

    /// The revisions on the path, newest first.
    pub fn revs(&self) -> impl Iterator<Item = Rev> + '_ {
        self.ids
            .iter()
            .enumerate()
            .map(|(i, h)| Rev::new(self.start - i as u64, h.clone()))
    }

    pub fn contains(&self, rev: &Rev) -> bool {
        rev.pos <= self.start
            && self.start - rev.pos < self.ids.len() as u64
            && self.ids[(self.start - rev.pos) as usize] == rev.hash
    }

    pub fn check(&self) -> Result<(), RevisionsError> {
        if self.ids.is_empty() {
            return Err(RevisionsError::NoIds);
        }
        if self.ids.len() as u64 > self.start {
            return Err(RevisionsError::LongerThanStart {
                start: self.start,
                ids: self.ids.len(),
            });
        }
        for (index, hash) in self.ids.iter().enumerate() {
            check_hash(hash).map_err(|error| RevisionsError::BadHash { index, error })?;
        }
        Ok(())
    }

    /// The path of this revision as a one-branch tree, as PouchDB's
    /// `parseDoc` builds it for `new_edits: false`: the leaf is available,
    /// its ancestors missing.
    pub fn to_path(&self, deleted: bool) -> Result<Branch, RevisionsError> {
        self.check()?;
        let mut node = Node::leaf(
            self.ids[0].clone(),
            NodeOpts {
                status: Some(Status::Available),
                deleted,
            },
        );
        for hash in &self.ids[1..] {
            node = Node {
                hash: hash.clone(),
                opts: NodeOpts {
                    status: Some(Status::Missing),
                    deleted: false,
                },
                children: vec![node],
            };
        }
        Ok(Branch {
            pos: self.start + 1 - self.ids.len() as u64,
            ids: node,
        })
    }
}

/// Merges `path` into `tree`, then stems the result to `revs_limit`
/// revisions per root-to-leaf path (pouchdb-merge `merge`).
pub fn merge(tree: &[Branch], path: &Branch, revs_limit: usize) -> Merged {
    let (merged, result) = do_merge(tree.to_vec(), path.clone(), false);
    let (stemmed_tree, stemmed) = stem(&merged, revs_limit);
    let tree = drop_contained_branches(stemmed_tree);
    Merged {
        tree,
        result,
        stemmed,
    }
}

/// Merges two trees whose roots are the same revision (pouchdb-merge
/// `mergeTree`). Children are handled in PouchDB's stack order: a node's own
/// new children first, then its matched children from the last to the first.
fn merge_tree(into: &mut Node, from: Node, conflicts: &mut Option<MergeResult>) {
    if into.opts.status.is_some() || from.opts.status.is_some() {
        into.opts.status = if into.opts.status == Some(Status::Available)
            || from.opts.status == Some(Status::Available)
        {
            Some(Status::Available)
        } else {
            Some(Status::Missing)
        };
    }
    let mut matched: Vec<Node> = Vec::new();
    for child in from.children {
        if into.children.is_empty() {
            *conflicts = Some(MergeResult::NewLeaf);
            into.children.push(child);
            continue;
        }
        if into.children.iter().any(|c| c.hash == child.hash) {
            matched.push(child);
        } else {
            *conflicts = Some(MergeResult::NewBranch);
            insert_sorted(&mut into.children, child);
        }
    }
    for child in matched.into_iter().rev() {
        if let Some(target) = into.children.iter_mut().find(|c| c.hash == child.hash) {
            merge_tree(target, child, conflicts);
        }
    }
}

/// PouchDB's binary search insertion with a comparator that never says
/// "equal": a new child goes after every sibling whose hash is not greater.
fn insert_sorted(children: &mut Vec<Node>, node: Node) {
    let idx = children.partition_point(|c| c.hash.as_bytes() < node.hash.as_bytes());
    children.insert(idx, node);
}

/// The first node `depth` levels below `root` whose hash is `hash`, in the
/// order PouchDB's stack visits them (last child first).
fn find_at_depth<'a>(root: &'a mut Node, depth: u64, hash: &str) -> Option<&'a mut Node> {
    if depth == 0 {
        return if root.hash == hash { Some(root) } else { None };
    }
    for child in root.children.iter_mut().rev() {
        if let Some(found) = find_at_depth(child, depth - 1, hash) {
            return Some(found);
        }
    }
    None
}

/// pouchdb-merge `doMerge`.
fn do_merge(tree: RevTree, mut path: Branch, dont_expand: bool) -> (RevTree, MergeResult) {
    if tree.is_empty() {
        return (vec![path], MergeResult::NewLeaf);
    }
    let mut restree: RevTree = Vec::with_capacity(tree.len() + 1);
    let mut conflicts: Option<MergeResult> = None;
    let mut merged = false;
    // Branches the path was grafted onto. PouchDB grafts the path's own
    // objects, so later changes to the path show there too; the path is
    // grafted again at the end to keep that.
    let mut grafted: Vec<usize> = Vec::new();
    for mut branch in tree {
        if branch.pos == path.pos && branch.ids.hash == path.ids.hash {
            let mut c = None;
            merge_tree(&mut branch.ids, path.ids.clone(), &mut c);
            restree.push(branch);
            conflicts = conflicts.or(c);
            merged = true;
        } else if !dont_expand {
            // Walk the earlier-starting tree up to the other's root; if that
            // revision is there, graft the later tree onto it.
            if branch.pos < path.pos {
                let diff = path.pos - branch.pos;
                if let Some(node) = find_at_depth(&mut branch.ids, diff, &path.ids.hash) {
                    let mut c = None;
                    merge_tree(node, path.ids.clone(), &mut c);
                    conflicts = conflicts.or(c);
                    merged = true;
                    grafted.push(restree.len());
                }
                restree.push(branch);
            } else {
                let diff = branch.pos - path.pos;
                let hash = branch.ids.hash.clone();
                match find_at_depth(&mut path.ids, diff, &hash) {
                    Some(node) => {
                        let mut c = None;
                        merge_tree(node, branch.ids, &mut c);
                        conflicts = conflicts.or(c);
                        merged = true;
                        restree.push(path.clone());
                    }
                    None => restree.push(branch),
                }
            }
        } else {
            restree.push(branch);
        }
    }
    for i in grafted {
        let diff = path.pos - restree[i].pos;
        if let Some(node) = find_at_depth(&mut restree[i].ids, diff, &path.ids.hash) {
            merge_tree(node, path.ids.clone(), &mut None);
        }
    }
    if !merged {
        restree.push(path);
    }
    // Stable, as JavaScript's sort is.
    restree.sort_by_key(|b| b.pos);
    (restree, conflicts.unwrap_or(MergeResult::InternalNode))
}

/// Cuts every root-to-leaf path to its last `depth` revisions and merges the
/// pieces back without joining what stemming separated (pouchdb-merge
/// `stem`). Returns the tree and the revisions that are gone from it.
pub fn stem(tree: &[Branch], depth: usize) -> (RevTree, Vec<Rev>) {
    let depth = depth.max(1);
    let mut result: Option<RevTree> = None;
    let mut stemmed: Vec<Rev> = Vec::new();
    for path in root_to_leaf(tree) {
        let cut = path.ids.len().saturating_sub(depth);
        for (s, node) in path.ids[..cut].iter().enumerate() {
            let rev = Rev::new(path.pos + s as u64, node.hash.clone());
            if !stemmed.contains(&rev) {
                stemmed.push(rev);
            }
        }
        let node = Branch {
            pos: path.pos + cut as u64,
            ids: path_to_tree(&path.ids[cut..]),
        };
        result = Some(match result {
            Some(r) => do_merge(r, node, true).0,
            None => vec![node],
        });
    }
    let result = result.unwrap_or_default();
    if !stemmed.is_empty() {
        // A revision cut from one path may still stand on another.
        stemmed.retain(|rev| !rev_exists(&result, rev));
    }
    (result, stemmed)
}

/// A departure from pouchdb-merge, which can leave a branch that repeats
/// part of another: a path that both extends one branch and reaches the
/// root of a later one is grafted onto the first and also kept as a branch of
/// its own. Its leaves would then count twice (a conflict listed twice) and
/// merging the same path again would tidy the tree, so a merge would not be
/// idempotent. A branch wholly contained in another is dropped here, its
/// `available` statuses kept by the branch that contains it.
fn drop_contained_branches(mut tree: RevTree) -> RevTree {
    let mut i = 0;
    while i < tree.len() {
        let container = (0..tree.len()).find(|&j| {
            j != i
                && tree[j].pos <= tree[i].pos
                && nodes_at_depth(&tree[j].ids, tree[i].pos - tree[j].pos)
                    .into_iter()
                    .any(|n| contains(n, &tree[i].ids))
                // Of two equal branches, keep the first.
                && !(j > i && tree[j] == tree[i])
        });
        match container {
            Some(j) => {
                let gone = tree.remove(i);
                let j = if j > i { j - 1 } else { j };
                let depth = gone.pos - tree[j].pos;
                absorb_statuses(&mut tree[j].ids, depth, &gone.ids);
            }
            None => i += 1,
        }
    }
    tree
}

fn nodes_at_depth(root: &Node, depth: u64) -> Vec<&Node> {
    if depth == 0 {
        return vec![root];
    }
    root.children
        .iter()
        .flat_map(|c| nodes_at_depth(c, depth - 1))
        .collect()
}

fn contains(big: &Node, small: &Node) -> bool {
    big.hash == small.hash
        && small
            .children
            .iter()
            .all(|s| big.children.iter().any(|b| contains(b, s)))
}

fn absorb_statuses(root: &mut Node, depth: u64, gone: &Node) {
    fn absorb(big: &mut Node, small: &Node) {
        if small.opts.status == Some(Status::Available) {
            big.opts.status = Some(Status::Available);
        }
        for s in &small.children {
            if let Some(b) = big.children.iter_mut().find(|b| contains(b, s)) {
                absorb(b, s);
            }
        }
    }
    if depth == 0 {
        if contains(root, gone) {
            absorb(root, gone);
        }
        return;
    }
    for child in root.children.iter_mut() {
        absorb_statuses(child, depth - 1, gone);
    }
}

fn path_to_tree(ids: &[PathNode]) -> Node {
    let mut iter = ids.iter().rev();
    let last = iter.next().expect("a path has at least its leaf");
    let mut node = Node::leaf(last.hash.clone(), last.opts);
    for p in iter {
        node = Node {
            hash: p.hash.clone(),
            opts: p.opts,
            children: vec![node],
        };
    }
    node
}

/// Every root-to-leaf path, in pouchdb-merge `rootToLeaf`'s order.
pub fn root_to_leaf(tree: &[Branch]) -> Vec<Path> {
    fn visit(node: &Node, pos: u64, history: &mut Vec<PathNode>, paths: &mut Vec<Path>) {
        history.push(PathNode {
            hash: node.hash.clone(),
            opts: node.opts,
        });
        if node.children.is_empty() {
            paths.push(Path {
                pos: pos + 1 - history.len() as u64,
                ids: history.clone(),
            });
        }
        for child in node.children.iter().rev() {
            visit(child, pos + 1, history, paths);
        }
        history.pop();
    }
    let mut paths = Vec::new();
    let mut history = Vec::new();
    for branch in tree.iter().rev() {
        visit(&branch.ids, branch.pos, &mut history, &mut paths);
    }
    paths.reverse();
    paths
}

/// Calls `f(is_leaf, pos, node)` for every node in pouchdb-merge
/// `traverseRevTree`'s order.
pub fn traverse<'a>(tree: &'a [Branch], mut f: impl FnMut(bool, u64, &'a Node)) {
    let mut stack: Vec<(u64, &'a Node)> = tree.iter().map(|b| (b.pos, &b.ids)).collect();
    while let Some((pos, node)) = stack.pop() {
        f(node.children.is_empty(), pos, node);
        for child in &node.children {
            stack.push((pos + 1, child));
        }
    }
}

/// The revision every peer shows: not deleted beats deleted, then the
/// highest position, then the highest hash. `None` for an empty tree.
pub fn winning_rev(tree: &[Branch]) -> Option<Rev> {
    let mut best: Option<(bool, u64, &str)> = None;
    traverse(tree, |is_leaf, pos, node| {
        if !is_leaf {
            return;
        }
        let candidate = (!node.opts.deleted, pos, node.hash.as_str());
        let better = match best {
            None => true,
            Some((alive, p, h)) => {
                (candidate.0, candidate.1, candidate.2.as_bytes()) > (alive, p, h.as_bytes())
            }
        };
        if better {
            best = Some(candidate);
        }
    });
    best.map(|(_, pos, hash)| Rev::new(pos, hash))
}

/// Every leaf, highest position first (pouchdb-merge `collectLeaves`).
pub fn collect_leaves(tree: &[Branch]) -> Vec<Leaf> {
    let mut leaves = Vec::new();
    traverse(tree, |is_leaf, pos, node| {
        if is_leaf {
            leaves.push(Leaf {
                rev: Rev::new(pos, node.hash.clone()),
                opts: node.opts,
            });
        }
    });
    leaves.sort_by_key(|l| l.rev.pos);
    leaves.reverse();
    leaves
}

/// Leaves that are neither deleted nor the winner (pouchdb-merge
/// `collectConflicts`), highest position first.
pub fn collect_conflicts(tree: &[Branch]) -> Vec<Rev> {
    let winner = winning_rev(tree);
    collect_leaves(tree)
        .into_iter()
        .filter(|l| Some(&l.rev) != winner.as_ref() && !l.opts.deleted)
        .map(|l| l.rev)
        .collect()
}

pub fn rev_exists(tree: &[Branch], rev: &Rev) -> bool {
    let mut found = false;
    traverse(tree, |_, pos, node| {
        found |= pos == rev.pos && node.hash == rev.hash;
    });
    found
}

/// Whether `rev` (the winner when `None`) is a deletion; `None` when the
/// revision is not in the tree. Unlike pouchdb-merge's `isDeleted`, which
/// matches the hash alone, the position must match too.
pub fn is_deleted(tree: &[Branch], rev: Option<&Rev>) -> Option<bool> {
    let rev = match rev {
        Some(r) => r.clone(),
        None => winning_rev(tree)?,
    };
    let mut deleted = None;
    traverse(tree, |_, pos, node| {
        if deleted.is_none() && pos == rev.pos && node.hash == rev.hash {
            deleted = Some(node.opts.deleted);
        }
    });
    deleted
}

/// The leaves that descend from `rev` (itself when it is a leaf), as
/// CouchDB answers `latest=true`.
pub fn leaves_under(tree: &[Branch], rev: &Rev) -> Vec<Rev> {
    let mut out = Vec::new();
    for path in root_to_leaf(tree) {
        let holds = rev.pos >= path.pos
            && ((rev.pos - path.pos) as usize) < path.ids.len()
            && path.ids[(rev.pos - path.pos) as usize].hash == rev.hash;
        if holds {
            let leaf = Rev::new(
                path.pos + path.ids.len() as u64 - 1,
                path.ids.last().expect("non-empty path").hash.clone(),
            );
            if !out.contains(&leaf) {
                out.push(leaf);
            }
        }
    }
    out
}

/// The `_revisions` of a leaf: its path back to the oldest revision kept.
pub fn revisions_of(tree: &[Branch], leaf: &Rev) -> Option<Revisions> {
    root_to_leaf(tree).into_iter().find_map(|path| {
        let end = path.pos + path.ids.len() as u64 - 1;
        let last = path.ids.last()?;
        (end == leaf.pos && last.hash == leaf.hash).then(|| Revisions {
            start: end,
            ids: path.ids.iter().rev().map(|n| n.hash.clone()).collect(),
        })
    })
}

#[cfg(test)]
mod tests;
