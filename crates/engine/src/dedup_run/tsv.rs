//! Where the pairs of a dedup run go: [`PairSink`], and the contract's TSV
//! (`copy_id<TAB>original_id<TAB>relation<TAB>score`), [`TsvPairs`].

use std::io::{self, Write};

use parallax_dedup::{Index, Pair};

/// Receives the pairs of a dedup run as they are found, in input order.
///
/// `index` names the articles of each pair ([`Index::id`]). An error stops
/// the run ([`super::DedupRunError::Output`]).
pub trait PairSink {
    /// Takes the pairs one added article formed (or those replayed from a
    /// persistent index, first).
    fn pairs(&mut self, index: &Index, pairs: &[Pair]) -> io::Result<()>;
}

impl<F: FnMut(&Index, &[Pair]) -> io::Result<()>> PairSink for F {
    fn pairs(&mut self, index: &Index, pairs: &[Pair]) -> io::Result<()> {
        self(index, pairs)
    }
}

/// Writes pairs as `parallax dedup`'s TSV lines: copy id, original id,
/// relation, score with four decimals, and with `explain` a fifth column
/// naming the rule that decided the direction (`chain` when it was
/// inherited through a copy chain).
#[derive(Debug)]
pub struct TsvPairs<W: Write> {
    out: W,
    explain: bool,
}

impl<W: Write> TsvPairs<W> {
    /// Lines go to `out`.
    pub fn new(out: W, explain: bool) -> Self {
        Self { out, explain }
    }

    /// The writer, to flush or close.
    pub fn into_inner(self) -> W {
        self.out
    }

    /// The writer, to flush.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }
}

impl<W: Write> PairSink for TsvPairs<W> {
    fn pairs(&mut self, index: &Index, pairs: &[Pair]) -> io::Result<()> {
        for p in pairs {
            write!(
                self.out,
                "{}\t{}\t{}\t{:.4}",
                index.id(p.copy),
                index.id(p.original),
                p.relation,
                p.score
            )?;
            if self.explain {
                write!(self.out, "\t{}", p.rule.map_or("chain", |r| r.as_str()))?;
            }
            writeln!(self.out)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parallax_dedup::{Added, Config, DocInput};

    /// Two articles, the second a verbatim repost of the first.
    fn repost() -> (Index, Vec<Pair>) {
        let text = "The city council voted on Tuesday to expand the tram line to the \
                    northern districts, a project expected to cost 40 million euros and \
                    take four years. Opponents said the money should go to buses.";
        let mut index = Index::new(Config::default());
        index.add_doc("a", &DocInput::text(text)).unwrap();
        let Added::New { pairs, .. } = index.add_doc("b", &DocInput::text(text)).unwrap() else {
            panic!("b is new");
        };
        (index, pairs)
    }

    #[test]
    fn lines_have_four_columns_and_a_fifth_when_explained() {
        let (index, pairs) = repost();
        assert_eq!(pairs.len(), 1);
        let mut plain = TsvPairs::new(Vec::new(), false);
        plain.pairs(&index, &pairs).unwrap();
        let line = String::from_utf8(plain.into_inner()).unwrap();
        assert_eq!(line, "b\ta\tduplicate\t1.0000\n");
        let mut explained = TsvPairs::new(Vec::new(), true);
        explained.pairs(&index, &pairs).unwrap();
        let line = String::from_utf8(explained.into_inner()).unwrap();
        let columns: Vec<&str> = line.trim_end().split('\t').collect();
        assert_eq!(columns.len(), 5, "{line:?}");
        assert_eq!(&columns[..4], ["b", "a", "duplicate", "1.0000"]);
        assert!(!columns[4].is_empty());
    }
}
