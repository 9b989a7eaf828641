//! Search and browsing on PostgreSQL: the same filters, pages and query
//! semantics as the SQLite store's FTS5 search (`crate::search`), on
//! `tsvector` columns with the English configuration.
//!
//! A query's words are all required and the last one also matches as a
//! prefix unless the text ends in a space, as in SQLite. Differences that
//! come from the engines: PostgreSQL's English configuration drops stop
//! words ("the", "of") from queries and documents, and does not fold accents
//! (the `unaccent` extension needs a superuser to install); ranking is
//! `ts_rank` rather than BM25.

use ::postgres::Client;
use ::postgres::types::ToSql;
use parallax_model::{ArticleId, Brief, StoryId};

use crate::error::Context;
use crate::search::{
    ArticleConditions, HIT_END, HIT_START, MAX_ARTICLE_HITS, offset_after, offset_page,
    page_bounds, query_words, split_snippet, story_summary, trim_page, where_clause,
};
use crate::{ArticleFilter, ArticleHit, Page, Result, StoryFilter, StorySummary};

type Args = Vec<Box<dyn ToSql + Sync>>;

/// Turns what a user typed into a `to_tsquery` input that cannot be a
/// syntax error: the Unicode words of `q` joined by `&`, the last one with
/// `:*` (prefix) when the text does not end in a space. `None` when `q` has
/// no words.
pub(crate) fn tsquery(q: &str) -> Option<String> {
    let (words, prefix) = query_words(q)?;
    let mut out = words.join(" & ");
    if prefix {
        out.push_str(":*");
    }
    Some(out)
}

/// What story search looks at besides the articles: headline, summary, the
/// titles of its articles and the names of its entities.
pub(crate) fn story_text(brief: &Brief) -> String {
    let mut text = format!("{} {}", brief.title, brief.summary);
    for title in brief.sources.iter().filter_map(|s| s.title.as_deref()) {
        text.push(' ');
        text.push_str(title);
    }
    for entity in &brief.entities {
        text.push(' ');
        text.push_str(&entity.name);
    }
    text
}

fn push(args: &mut Args, value: impl ToSql + Sync + 'static) -> usize {
    args.push(Box::new(value));
    args.len()
}

/// PostgreSQL's spelling of the outlet condition. SQLite compares the
/// source without case and its LIKE ignores ASCII case; the same here.
fn postgres_outlet(p: &str) -> String {
    format!(
        "(lower(a.source) = lower({p}) OR a.url ILIKE '%://' || {p} || '/%' \
         OR a.url ILIKE '%://www.' || {p} || '/%')"
    )
}

/// The PostgreSQL conditions for `filter`, binding into `args`.
fn article_conditions(filter: ArticleConditions<'_>, args: &mut Args) -> Vec<String> {
    filter.to_sql(
        &mut |v| format!("${}::text", push(args, v)),
        postgres_outlet,
    )
}

fn run(
    client: &mut Client,
    sql: &str,
    args: &Args,
    context: &'static str,
) -> Result<Vec<::postgres::Row>> {
    let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
    client.query(sql, &refs).context(context)
}

/// One page of stories matching `filter`: by relevance for a text query,
/// else most recently updated first.
pub(crate) fn find_stories(
    client: &mut Client,
    filter: &StoryFilter,
) -> Result<Page<StorySummary>> {
    let mut args: Args = Vec::new();
    let mut conds: Vec<String> = Vec::new();
    // As in SQLite: a story matches when one of the best-ranked articles
    // does, or its own search text does; it scores the best of those.
    let (with, from, order) = match filter.q.as_deref().and_then(tsquery) {
        Some(q) => {
            let n = push(&mut args, q);
            (
                format!(
                    "WITH q (q) AS (SELECT to_tsquery('english', ${n}::text)),
                     top (story, score) AS (
                        SELECT a.story_id, ts_rank(a.search, q.q) FROM articles a, q
                        WHERE a.search @@ q.q ORDER BY 2 DESC, a.seq LIMIT {MAX_ARTICLE_HITS}),
                     hits (story, score) AS (
                        SELECT story, score FROM top
                        UNION ALL
                        SELECT s.id, ts_rank(s.search, q.q) FROM stories s, q
                        WHERE s.search @@ q.q),
                     best (story, score) AS (SELECT story, MAX(score) FROM hits GROUP BY story),"
                ),
                "best b JOIN stories s ON s.id = b.story",
                "b.score DESC, s.first_seq DESC",
            )
        }
        None => (
            "WITH".to_owned(),
            "stories s",
            "s.updated_at DESC, s.first_seq DESC",
        ),
    };
    let article_conds = article_conditions(filter.into(), &mut args);
    if !article_conds.is_empty() {
        conds.push(format!(
            "EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND {})",
            article_conds.join(" AND ")
        ));
    }
    // PostgreSQL pages by offset: its cursor is the offset reached.
    let skip = offset_after(filter.cursor.as_ref(), filter.offset)?;
    let (limit, offset) = page_bounds(filter.limit, skip);
    let nl = push(&mut args, limit);
    let no = push(&mut args, offset);
    let sql = format!(
        "{with} page (id, n) AS (
            SELECT s.id, row_number() OVER (ORDER BY {order}) FROM {from} {}
            ORDER BY {order} LIMIT ${nl} OFFSET ${no})
         SELECT s.id, s.title, s.brief, s.updated_at,
                (SELECT MIN(a.published) FROM articles a WHERE a.story_id = s.id),
                (SELECT MAX(a.published) FROM articles a WHERE a.story_id = s.id),
                (SELECT string_agg(a.id, chr(31) ORDER BY a.seq) FROM articles a
                  WHERE a.story_id = s.id)
         FROM page p JOIN stories s ON s.id = p.id ORDER BY p.n",
        where_clause(&conds)
    );
    let mut items = Vec::new();
    for row in run(client, &sql, &args, "listing stories")? {
        items.push(story_summary(
            row.get(0),
            row.get(1),
            row.get(2),
            row.get(3),
            row.get(4),
            row.get(5),
            row.get(6),
        )?);
    }
    Ok(offset_page(trim_page(items, limit), skip))
}

/// One page of articles matching `filter`: by relevance for a text query,
/// else newest arrival first.
pub(crate) fn find_articles(
    client: &mut Client,
    filter: &ArticleFilter,
) -> Result<Page<ArticleHit>> {
    let mut args: Args = Vec::new();
    let mut conds: Vec<String> = Vec::new();
    let (from, order, snippet) = match filter.q.as_deref().and_then(tsquery) {
        Some(q) => {
            let n = push(&mut args, q);
            conds.push("a.search @@ q".to_owned());
            let options = push(
                &mut args,
                format!(
                    "StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=24, MinWords=12, \
                     MaxFragments=1, FragmentDelimiter=\"…\""
                ),
            );
            (
                format!("articles a, to_tsquery('english', ${n}::text) q"),
                "ts_rank(a.search, q) DESC, a.seq DESC",
                format!("ts_headline('english', a.body, q, ${options}::text)"),
            )
        }
        None => (
            "articles a".to_owned(),
            "a.seq DESC",
            "substr(a.body, 1, 240)".to_owned(),
        ),
    };
    if let Some(story) = &filter.story {
        let n = push(&mut args, story.clone());
        conds.push(format!("a.story_id = ${n}::text"));
    }
    conds.extend(article_conditions(filter.into(), &mut args));
    // PostgreSQL pages by offset: its cursor is the offset reached.
    let skip = offset_after(filter.cursor.as_ref(), filter.offset)?;
    let (limit, offset) = page_bounds(filter.limit, skip);
    let nl = push(&mut args, limit);
    let no = push(&mut args, offset);
    let sql = format!(
        "SELECT a.seq, a.id, a.title, a.source, a.url, a.published, a.lang, a.story_id, {snippet}
         FROM {from} {} ORDER BY {order} LIMIT ${nl} OFFSET ${no}",
        where_clause(&conds)
    );
    let items = run(client, &sql, &args, "listing articles")?
        .iter()
        .map(|r| ArticleHit {
            seq: r.get(0),
            id: ArticleId(r.get(1)),
            title: r.get(2),
            source: r.get(3),
            url: r.get(4),
            published: r.get(5),
            lang: r.get(6),
            story: StoryId(r.get(7)),
            snippet: split_snippet(r.get(8)),
        })
        .collect();
    Ok(offset_page(trim_page(items, limit), skip))
}

#[cfg(test)]
mod tests {
    use super::tsquery;

    #[test]
    fn queries_are_anded_words() {
        assert_eq!(
            tsquery("ZTE \"trade-talks\"").as_deref(),
            Some("ZTE & trade & talks")
        );
        assert_eq!(tsquery("ZTE tari").as_deref(), Some("ZTE & tari:*"));
        assert_eq!(tsquery("NOT | !x ").as_deref(), Some("NOT & x"));
        assert_eq!(tsquery("  -*: "), None);
    }
}
