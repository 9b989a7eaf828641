//! Word tokens with byte offsets, for the extractors (facts, quotes,
//! entities, dates). Unlike the index terms of `parallax-text`, these keep
//! case, punctuation and the shape of numbers (`$1.1bn`, `80,000`,
//! `25-30%`), because the extractors read them.

/// One token of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok<'a> {
    /// The token as written.
    pub text: &'a str,
    /// Byte offset of its start.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
}

impl Tok<'_> {
    /// Whether it is a word or number (not punctuation).
    pub fn is_word(&self) -> bool {
        self.text.chars().any(char::is_alphanumeric)
    }

    /// Whether it starts with an uppercase letter.
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Lowercase form, with curly apostrophes made straight.
    pub fn lower(&self) -> String {
        let lower = if self
            .text
            .bytes()
            .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
        {
            self.text.to_lowercase()
        } else {
            self.text.to_owned()
        };
        if lower.contains('\u{2019}') {
            lower.replace('\u{2019}', "'")
        } else {
            lower
        }
    }

    /// Whether it is exactly `p` (a punctuation test).
    pub fn is(&self, p: &str) -> bool {
        self.text == p
    }
}

/// Characters that may sit inside a word or number when letters or digits
/// follow them: `U.S.`, `80,000`, `O'Brien`, `ZTE-related`, `AT&T`.
fn joins(c: char) -> bool {
    matches!(c, '.' | ',' | '\'' | '\u{2019}' | '-' | '&' | '/')
}

fn currency(c: char) -> bool {
    matches!(c, '$' | '£' | '€' | '¥')
}

/// Splits `s` into word tokens and single punctuation tokens.
///
/// ```
/// use parallax_brief::words::tokens;
/// let t: Vec<&str> = tokens("ZTE's $1.1bn fine, 25-30% (U.S.) \"go.\"").iter().map(|t| t.text).collect();
/// assert_eq!(t, ["ZTE's", "$1.1bn", "fine", ",", "25-30%", "(", "U.S.", ")", "\"", "go", ".", "\""]);
/// ```
pub fn tokens(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let n = chars.len();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let pos = |i: usize| chars.get(i).map_or(s.len(), |&(p, _)| p);
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let word_start =
            c.is_alphanumeric() || (currency(c) && at(i + 1).is_some_and(|d| d.is_ascii_digit()));
        if !word_start {
            i += 1;
            out.push(Tok {
                text: &s[pos(start)..pos(i)],
                start: pos(start),
                end: pos(i),
            });
            continue;
        }
        i += 1;
        loop {
            // Tokenised copy writes numbers apart: "230, 000", "$2. 6 million".
            if let Some(skip) = spaced_number(&chars, start, i) {
                i += skip;
                continue;
            }
            match at(i) {
                Some(d) if d.is_alphanumeric() => i += 1,
                Some(d) if joins(d) && at(i + 1).is_some_and(char::is_alphanumeric) => {
                    // "80,000" and "1.1" join; "ZTE, which" does not.
                    if d == ','
                        && !(at(i - 1).is_some_and(|p| p.is_ascii_digit())
                            && at(i + 1).is_some_and(|p| p.is_ascii_digit()))
                    {
                        break;
                    }
                    i += 2;
                }
                // A dotted abbreviation keeps its final stop: "U.S."
                Some('.')
                    if i >= 2
                        && at(i - 2) == Some('.')
                        && at(i - 1).is_some_and(char::is_alphabetic) =>
                {
                    i += 1;
                    break;
                }
                Some('%') => {
                    i += 1;
                    break;
                }
                _ => break,
            }
        }
        out.push(Tok {
            text: &s[pos(start)..pos(i)],
            start: pos(start),
            end: pos(i),
        });
    }
    out
}

/// Scale and unit words that may follow a number's decimals in
/// tokenised copy ("$2. 6 million", "6. 1 magnitude").
const AFTER_DECIMALS: &[&str] = &[
    "million",
    "billion",
    "trillion",
    "thousand",
    "percent",
    "per",
    "magnitude",
    "miles",
    "kilometres",
    "kilometers",
    "km",
];

/// At char `i` (inside a token that began at `start`), how many chars a
/// number written apart by tokenisation continues with: `, 000` of `230,
/// 000` (a group of exactly three digits after a one-to-three-digit group
/// or another such group), `. 6` of `$2. 6 million` (one or two decimals
/// followed by a scale or unit word, `%`, or `-magnitude`).
fn spaced_number(chars: &[(usize, char)], start: usize, i: usize) -> Option<usize> {
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let sep = at(i)?;
    if !matches!(sep, ',' | '.') || at(i + 1) != Some(' ') {
        return None;
    }
    // The token so far must be a number: digits (and joined groups).
    let mut k = start;
    if at(k).is_some_and(currency) {
        k += 1;
    }
    let body: String = chars[k..i].iter().map(|&(_, c)| c).collect();
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == ' ')
    {
        return None;
    }
    let digits = (i + 2..chars.len())
        .take_while(|&m| at(m).is_some_and(|c| c.is_ascii_digit()))
        .count();
    let after = at(i + 2 + digits);
    if sep == ',' {
        let last_group = body.rsplit([',', ' ']).next().unwrap_or("");
        let ok_before = if body.contains(',') {
            last_group.len() == 3
        } else {
            (1..=3).contains(&body.len())
        };
        let ends = after.is_none_or(|c| !c.is_alphanumeric() || c == '%');
        return (ok_before && digits == 3 && ends).then_some(2 + digits);
    }
    // Decimals.
    if !body.chars().all(|c| c.is_ascii_digit()) || !(1..=2).contains(&digits) {
        return None;
    }
    let rest: String = chars[i + 2 + digits..]
        .iter()
        .take(16)
        .map(|&(_, c)| c)
        .collect::<String>()
        .to_lowercase();
    // "magnitude of 5. 9", "magnitude - 5. 9": the unit was named before.
    let before: String = chars[start.saturating_sub(24)..start]
        .iter()
        .map(|&(_, c)| c)
        .collect::<String>()
        .to_lowercase();
    if before.contains("magnitude") {
        return Some(2 + digits);
    }
    let unit = match after {
        Some('%') => true,
        Some(' ') if rest[1..].starts_with("- magnitude") => true,
        Some('-') => rest[1..].starts_with("magnitude"),
        Some(' ') => {
            let w = rest[1..]
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            AFTER_DECIMALS.contains(&w)
        }
        Some(c) if c.is_alphabetic() => {
            let w: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
            matches!(w.as_str(), "bn" | "m" | "mn" | "tn" | "km")
        }
        _ => false,
    };
    unit.then_some(2 + digits)
}

/// Number words and their values.
pub fn number_word(w: &str) -> Option<f64> {
    Some(match w {
        "one" | "a" | "an" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "fifteen" => 15.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "hundred" => 100.0,
        "dozen" => 12.0,
        _ => return None,
    })
}

/// Scale words and their factors.
pub fn scale_word(w: &str) -> Option<f64> {
    Some(match w {
        "thousand" | "k" => 1e3,
        "million" | "mn" | "m" | "mln" => 1e6,
        "billion" | "bn" | "b" | "bln" => 1e9,
        "trillion" | "tn" | "trn" => 1e12,
        _ => return None,
    })
}
