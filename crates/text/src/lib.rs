//! The text layer of Parallax: everything that turns raw article text into
//! the units the rest of the pipeline compares.
//!
//! Every later stage (deduplication, story clustering, briefs) needs the
//! same few answers about a piece of text, and they must agree with each
//! other: two stages that fold or tokenise differently would never match
//! the same words. So the answers live here, once:
//!
//! * [`normalize`]: the *matching form* of text ([`normalize::fold`]) and a
//!   punctuation-free comparison key ([`normalize::match_key`]). Display text
//!   always keeps the original; only comparisons use these forms.
//! * [`sentences`]: sentence spans of an article body
//!   ([`sentences::split`]), including a fallback that cuts caseless,
//!   unpunctuated copy into bounded pieces marked as not quotable.
//! * [`tokens`]: word tokens with byte spans ([`tokens::words`]).
//! * [`lang`]: language identification ([`lang::detect`]).
//! * [`analyzer`]: per-language index terms: folding, stop words and
//!   Snowball stemming ([`Analyzer`]).
//! * [`shape`]: whether text has lost its case and punctuation
//!   ([`shape::is_degraded`]) and whether a span reads like a written
//!   sentence ([`shape::is_well_formed_sentence`]).
//!
//! All spans are byte offsets into the string that was passed in, so any
//! sentence or word can be traced back to where it was read.
//!
//! ```
//! use parallax_text::{Analyzer, sentences};
//!
//! let body = "Mr. Trump spoke on Sunday. ZTE shares rose 10%.";
//! let spans: Vec<&str> = sentences::split(body).iter().map(|s| s.span.slice(body)).collect();
//! assert_eq!(spans, ["Mr. Trump spoke on Sunday.", "ZTE shares rose 10%."]);
//!
//! let en = Analyzer::english();
//! assert_eq!(en.terms("The shares were rising"), ["share", "rise"]);
//! ```

pub mod analyzer;
pub mod date;
pub mod lang;
pub mod normalize;
pub mod sentences;
pub mod shape;
pub mod tokens;

#[cfg(test)]
mod test_seeds;

pub use analyzer::Analyzer;
