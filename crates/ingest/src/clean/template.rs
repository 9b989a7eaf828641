//! Outlet templates: lines that recur across one source's articles.
//!
//! A single page cannot tell that "Tell us what YOU think..." or a
//! newsletter box is the outlet's and not the story's; a run over several
//! of the outlet's articles can. [`Templates`] looks at a window of
//! articles at a time, groups them by source (the `source` field, else the
//! host of the URL), and takes as the source's template every line (compared
//! folded: lowercase words) that
//!
//! * occurs in at least [`MIN_ARTICLES`] of the source's articles that are
//!   not versions of one another (two articles whose line sets overlap by
//!   [`SAME_ARTICLE`] or more, such as an updated story, count once), and in
//!   at least [`MIN_SHARE`] of the source's articles in the window;
//! * is not a byline (`By ...`, at most eight words) and holds no quotation
//!   mark (a quote shared by two reports of one event is the story).
//!
//! Template lines found once are remembered for the source, so later windows
//! of a long stream lose them too. Every line cut is kept as a
//! [`RemovalReason::Template`] removal; an article is never cut to nothing.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use parallax_model::{Article, Removal, RemovalReason};

use super::fold::{fold, words};
use crate::sources::feed::host_name;

/// Fewest distinct articles of one source a line must occur in.
pub const MIN_ARTICLES: usize = 2;
/// Least share of the source's articles in the window a line must occur in.
pub const MIN_SHARE: f64 = 0.1;
/// Line-set overlap (Jaccard) from which two articles count as versions of
/// one article.
pub const SAME_ARTICLE: f64 = 0.5;
/// Longest byline kept whatever its recurrence, in words.
const BYLINE_WORDS: usize = 8;

/// What has been learnt of each source's template.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    known: HashMap<String, HashSet<u64>>,
}

impl Templates {
    /// No template known yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many template lines are known for `source`.
    pub fn known_lines(&self, source: &str) -> usize {
        self.known.get(source).map_or(0, HashSet::len)
    }

    /// Learn from `window` (articles of any sources, in any order) and cut
    /// the template lines of each article's source from its body.
    ///
    /// ```
    /// use parallax_ingest::clean::Templates;
    /// use parallax_model::{Article, ArticleId, Origin, RemovalReason, Source};
    ///
    /// let article = |id: &str, body: &str| Article {
    ///     id: ArticleId(id.into()),
    ///     title: None,
    ///     url: Some(format!("https://news.example/{id}")),
    ///     source: Some(Source("News Example".into())),
    ///     published: None,
    ///     lang: None,
    ///     body: body.into(),
    ///     removed: vec![],
    ///     origin: Origin { file: "x".into(), line: None },
    /// };
    /// let mut window = vec![
    ///     article("a", "The bridge closed on Monday.\nSign up for our daily newsletter"),
    ///     article("b", "Sign up for our daily newsletter\nA new park opened in the east end."),
    /// ];
    /// Templates::new().strip(&mut window);
    /// assert_eq!(window[0].body, "The bridge closed on Monday.");
    /// assert_eq!(window[1].body, "A new park opened in the east end.");
    /// assert_eq!(window[0].removed[0].reason, RemovalReason::Template);
    /// ```
    pub fn strip(&mut self, window: &mut [Article]) {
        let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, a) in window.iter().enumerate() {
            if let Some(key) = source_key(a) {
                groups.entry(key).or_default().push(i);
            }
        }
        for (source, members) in groups {
            let lines: Vec<Vec<(u64, bool)>> = members
                .iter()
                .map(|&i| window[i].body.lines().map(line_key).collect())
                .collect();
            if members.len() >= MIN_ARTICLES {
                let found = learn(&lines);
                if !found.is_empty() {
                    self.known.entry(source.clone()).or_default().extend(found);
                }
            }
            let Some(template) = self.known.get(&source) else {
                continue;
            };
            for (&i, keys) in members.iter().zip(&lines) {
                cut(&mut window[i], keys, template);
            }
        }
    }
}

/// The template lines of one source's articles (each a list of line keys,
/// with whether the line may be a template line at all).
fn learn(articles: &[Vec<(u64, bool)>]) -> HashSet<u64> {
    let sets: Vec<HashSet<u64>> = articles
        .iter()
        .map(|lines| lines.iter().map(|(k, _)| *k).collect())
        .collect();
    let mut holders: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, lines) in articles.iter().enumerate() {
        let mut seen = HashSet::new();
        for &(key, eligible) in lines {
            if eligible && seen.insert(key) {
                holders.entry(key).or_default().push(i);
            }
        }
    }
    let need = MIN_ARTICLES.max((MIN_SHARE * articles.len() as f64).ceil() as usize);
    holders
        .into_iter()
        .filter(|(_, who)| who.len() >= need && distinct(who, &sets) >= MIN_ARTICLES)
        .map(|(key, _)| key)
        .collect()
}

/// How many of the articles `who` are not versions of one another, counted
/// greedily and stopping at [`MIN_ARTICLES`].
fn distinct(who: &[usize], sets: &[HashSet<u64>]) -> usize {
    let mut picked: Vec<usize> = Vec::new();
    for &i in who {
        if picked
            .iter()
            .all(|&j| jaccard(&sets[i], &sets[j]) < SAME_ARTICLE)
        {
            picked.push(i);
            if picked.len() >= MIN_ARTICLES {
                break;
            }
        }
    }
    picked.len()
}

fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    let shared = a.intersection(b).count();
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f64 / union as f64
    }
}

/// Cut the lines of `article` whose keys are in `template`, unless that
/// would leave nothing.
fn cut(article: &mut Article, keys: &[(u64, bool)], template: &HashSet<u64>) {
    let drop: Vec<bool> = keys
        .iter()
        .map(|(k, eligible)| *eligible && template.contains(k))
        .collect();
    if !drop.iter().any(|d| *d) || drop.iter().all(|d| *d) {
        return;
    }
    let mut kept = Vec::new();
    for (line, gone) in article.body.lines().zip(&drop) {
        if *gone {
            article.removed.push(Removal {
                text: line.trim().to_owned(),
                reason: RemovalReason::Template,
            });
        } else {
            kept.push(line);
        }
    }
    article.body = kept.join("\n");
}

/// A line's key (hash of its folded form) and whether it may be a template
/// line: it has a word, is no byline and holds no quotation mark.
fn line_key(line: &str) -> (u64, bool) {
    let folded = fold(line);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    folded.hash(&mut h);
    let n_words = words(line).count();
    let byline = n_words <= BYLINE_WORDS && folded.starts_with("by ");
    let quoted = line.contains(['"', '“', '”', '«', '»', '„']);
    (h.finish(), n_words > 0 && !byline && !quoted)
}

/// The source an article's template is learnt under: its `source`, else
/// the host of its URL.
fn source_key(a: &Article) -> Option<String> {
    a.source
        .as_ref()
        .map(|s| s.0.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .or_else(|| {
            a.url
                .as_deref()
                .and_then(host_name)
                .map(|h| h.trim_start_matches("www.").to_lowercase())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use parallax_model::{ArticleId, Origin, Source};

    fn article(id: &str, source: &str, body: &str) -> Article {
        Article {
            id: ArticleId(id.into()),
            title: None,
            url: None,
            source: Some(Source(source.into())),
            published: None,
            lang: None,
            body: body.into(),
            removed: vec![],
            origin: Origin {
                file: "t".into(),
                line: None,
            },
        }
    }

    #[test]
    fn versions_of_one_story_do_not_make_a_template() {
        let body = "The council voted to close the bridge.\nWork starts in May.\nDrivers will use the north road.";
        let mut window = vec![
            article("a", "Town", body),
            article(
                "b",
                "Town",
                &format!("{body}\nUpdate: the vote was 7 to 2."),
            ),
        ];
        Templates::new().strip(&mut window);
        assert!(window.iter().all(|a| a.removed.is_empty()));
    }

    #[test]
    fn bylines_quotes_and_other_sources_stay() {
        let mut window = vec![
            article(
                "a",
                "Town",
                "By Ann Lee\n“We will rebuild,” the mayor said.\nThe bridge closed.\nOne.\nTwo.\nThree.",
            ),
            article(
                "b",
                "Town",
                "By Ann Lee\n“We will rebuild,” the mayor said.\nA park opened.\nFour.\nFive.\nSix.",
            ),
            article("c", "City", "Subscribe now\nA different story."),
            article("d", "Other", "Subscribe now\nYet another story."),
        ];
        Templates::new().strip(&mut window);
        assert!(window.iter().all(|a| a.removed.is_empty()));
    }

    #[test]
    fn learnt_lines_are_cut_from_later_windows() {
        let mut t = Templates::new();
        let mut first = vec![
            article("a", "Town", "One story.\nAdvert"),
            article("b", "Town", "Advert\nTwo story."),
        ];
        t.strip(&mut first);
        assert_eq!(t.known_lines("town"), 1);
        let mut later = vec![article("c", "Town", "Three story.\nADVERT")];
        t.strip(&mut later);
        assert_eq!(later[0].body, "Three story.");
    }
}
