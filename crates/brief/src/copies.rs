//! Copy groups: a story's articles grouped by the text they carry.
//!
//! The brief is told which articles copy which (as [`CopyLink`]s; finding
//! them is the dedup stage's job). It shows each distinct text once with
//! the outlets that carried it and how each copy relates to it, so
//! fourteen reposts of one wire story read as one report carried by
//! fourteen outlets, not as fourteen independent ones.

use std::collections::HashMap;

use parallax_model::{Article, ArticleId, CopyGroup, CopyLink, GroupCopy};

/// Each article's copy parent and the groups built from them.
#[derive(Debug, Clone)]
pub struct Groups {
    /// For each article (by position), the position of the root original
    /// of the text it carries (itself when it copies nothing here).
    pub root: Vec<usize>,
    /// For each article, the link by which it copies another one here.
    parent: Vec<Option<(usize, usize)>>,
}

impl Groups {
    /// Groups `articles` (in arrival order) by `links`. Links naming an
    /// article not in `articles` are ignored. Each copy keeps one parent,
    /// its closest original (strongest relation, then highest score, then
    /// the earliest arrived), and a link that would close a cycle is
    /// dropped, so the groups are trees.
    pub fn build(articles: &[&Article], links: &[CopyLink]) -> Self {
        let n = articles.len();
        let pos: HashMap<&ArticleId, usize> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (&a.id, i))
            .collect();
        // (copy, original, link index) of the links inside the story.
        let mut inside: Vec<(usize, usize, usize)> = links
            .iter()
            .enumerate()
            .filter_map(|(k, l)| {
                let c = *pos.get(&l.copy)?;
                let o = *pos.get(&l.original)?;
                (c != o).then_some((c, o, k))
            })
            .collect();
        inside.sort_by(|x, y| {
            let (a, b) = (&links[x.2], &links[y.2]);
            a.relation
                .cmp(&b.relation)
                .then(b.score.total_cmp(&a.score))
                .then(x.1.cmp(&y.1))
                .then(x.0.cmp(&y.0))
        });
        let mut parent: Vec<Option<(usize, usize)>> = vec![None; n];
        for (c, o, k) in inside {
            if parent[c].is_some() {
                continue;
            }
            // `c` is still a root: `o` descends from it only if it is in
            // c's tree, and then the link would make a cycle.
            if root_of(&parent, o) == c {
                continue;
            }
            parent[c] = Some((o, k));
        }
        let root = (0..n).map(|i| root_of(&parent, i)).collect();
        Self { root, parent }
    }

    /// True when some article copies another.
    pub fn any(&self) -> bool {
        self.parent.iter().any(Option::is_some)
    }

    /// The groups of two or more articles, largest first, then by the
    /// original's arrival.
    pub fn to_brief(&self, articles: &[&Article], links: &[CopyLink]) -> Vec<CopyGroup> {
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, &r) in self.root.iter().enumerate() {
            if r != i {
                members.entry(r).or_default().push(i);
            }
        }
        let mut groups: Vec<(usize, Vec<usize>)> = members.into_iter().collect();
        groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        groups
            .into_iter()
            .map(|(r, mut copies)| {
                copies.sort_unstable();
                let outlet = articles[r].outlet();
                let mut outlets = vec![outlet.clone()];
                for &c in &copies {
                    let o = articles[c].outlet();
                    if !outlets.contains(&o) {
                        outlets.push(o);
                    }
                }
                CopyGroup {
                    original: articles[r].id.clone(),
                    outlet,
                    outlets,
                    copies: copies
                        .iter()
                        .map(|&c| {
                            let (from, k) = self.parent[c].expect("a copy has a parent");
                            GroupCopy {
                                article: articles[c].id.clone(),
                                outlet: articles[c].outlet(),
                                from: articles[from].id.clone(),
                                relation: links[k].relation,
                                score: links[k].score,
                            }
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

fn root_of(parent: &[Option<(usize, usize)>], mut i: usize) -> usize {
    // Parents only ever point at roots or their descendants, so the walk
    // ends; the bound is a guard.
    for _ in 0..parent.len() {
        match parent[i] {
            Some((p, _)) => i = p,
            None => return i,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use parallax_model::{CopyRelation, Source};

    use super::*;

    fn article(id: &str, source: &str) -> Article {
        Article {
            source: Some(Source(source.into())),
            lang: Some("en".into()),
            ..Article::new(id, String::new())
        }
    }

    fn link(copy: &str, original: &str, relation: CopyRelation, score: f64) -> CopyLink {
        CopyLink {
            copy: copy.into(),
            original: original.into(),
            relation,
            score,
            evidence: None,
        }
    }

    #[test]
    fn chains_resolve_to_their_root_and_outsiders_are_ignored() {
        let arts = [
            article("wire", "Reuters"),
            article("a", "Daily A"),
            article("b", "Daily B"),
            article("own", "Daily A"),
        ];
        let refs: Vec<&Article> = arts.iter().collect();
        let links = [
            link("a", "wire", CopyRelation::Duplicate, 1.0),
            // b copies a (a copy of the wire) more closely than the wire.
            link("b", "a", CopyRelation::NearDuplicate, 0.9),
            link("b", "wire", CopyRelation::Syndicated, 0.6),
            link("own", "elsewhere", CopyRelation::Duplicate, 1.0),
        ];
        let g = Groups::build(&refs, &links);
        assert_eq!(g.root, vec![0, 0, 0, 3]);
        let groups = g.to_brief(&refs, &links);
        assert_eq!(groups.len(), 1);
        let group = &groups[0];
        assert_eq!(group.original.as_str(), "wire");
        assert_eq!(group.outlets, vec!["Reuters", "Daily A", "Daily B"]);
        assert_eq!(group.copies.len(), 2);
        assert_eq!(group.copies[1].from.as_str(), "a");
        assert_eq!(group.copies[1].relation, CopyRelation::NearDuplicate);
    }

    #[test]
    fn a_cycle_of_links_is_broken() {
        let arts = [article("x", "X"), article("y", "Y")];
        let refs: Vec<&Article> = arts.iter().collect();
        let links = [
            link("x", "y", CopyRelation::Duplicate, 1.0),
            link("y", "x", CopyRelation::Duplicate, 1.0),
        ];
        let g = Groups::build(&refs, &links);
        assert_eq!(g.root[0], g.root[1]);
        assert_eq!(g.to_brief(&refs, &links)[0].copies.len(), 1);
    }
}
