//! Datelines: the place and agency a wire story opens with
//! ("WASHINGTON (AP) — ", "Washington (CNN)"). They say where the report
//! was filed, not what happened, so a summary shows the sentence without
//! them.

/// Most words in the place of a dateline ("NEW YORK", "RIO DE JANEIRO").
const MAX_PLACE_WORDS: usize = 4;

/// Longest agency name in brackets ("(Reuters)", "(AP)", "(CNN)").
const MAX_AGENCY_CHARS: usize = 24;

/// `sentence` without its opening dateline; unchanged when it has none.
///
/// A dateline is a place in capitals followed by a dash
/// ("ISTANBUL — "), or a place and a bracketed agency followed by a dash
/// or directly by the text ("WASHINGTON (AP) — ", "Washington
/// (CNN)Republicans"), or an agency alone before a dash ("(CNN) - ").
/// A capitalised name before a dash ("Trump — ") or a bracket that is
/// not an agency ("Pelosi (D-Calif.) said") is not one.
///
/// ```
/// use parallax_brief::dateline::strip;
/// assert_eq!(strip("WASHINGTON (AP) — Americans’ support has jumped."), "Americans’ support has jumped.");
/// assert_eq!(strip("Washington (CNN)Republicans are daring Pelosi."), "Republicans are daring Pelosi.");
/// assert_eq!(strip("NEW YORK — The program is on hold."), "The program is on hold.");
/// assert_eq!(strip("LONDON, Jan 5 (Reuters) - Britain voted on it."), "Britain voted on it.");
/// assert_eq!(strip("(CNN) - Patience is in short supply."), "Patience is in short supply.");
/// assert_eq!(strip("Speaker Nancy Pelosi (D-Calif.) asked Trump to wait."), "Speaker Nancy Pelosi (D-Calif.) asked Trump to wait.");
/// assert_eq!(strip("Trump — the president — spoke."), "Trump — the president — spoke.");
/// ```
pub fn strip(sentence: &str) -> &str {
    let text = sentence.trim_start();
    // The place: words before a bracket or a dash.
    let mut place_words = 0usize;
    let mut place_has_lower = false;
    let mut rest = text;
    loop {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..word_end];
        if word.is_empty() || word.starts_with('(') || is_dash(word) {
            break;
        }
        // A bracket glued to the place: "Washington(CNN)".
        let (word, glued) = match word.find('(') {
            Some(b) => (&word[..b], true),
            None => (word, false),
        };
        // "LONDON, Jan 5 (Reuters) -": a date may follow the place.
        let number = place_words > 0 && word.chars().all(|c| c.is_ascii_digit() || c == ',');
        let name_like = word.chars().next().is_some_and(char::is_uppercase)
            && word
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | ',' | '\'' | '’' | '-'));
        if !number && !name_like {
            return sentence;
        }
        place_words += 1;
        if place_words > MAX_PLACE_WORDS {
            return sentence;
        }
        place_has_lower |= word.chars().any(char::is_lowercase);
        rest = &rest[word.len()..];
        if glued {
            break;
        }
        rest = rest.trim_start();
    }
    let rest_after_place = rest.trim_start();
    // The agency, in brackets.
    let mut agency = false;
    let mut rest = rest_after_place;
    if let Some(inner) = rest.strip_prefix('(') {
        let Some(close) = inner.find(')') else {
            return sentence;
        };
        let name = &inner[..close];
        if name.is_empty()
            || name.len() > MAX_AGENCY_CHARS
            || !name.chars().next().is_some_and(char::is_uppercase)
            || !name.chars().all(|c| c.is_alphabetic() || c == ' ')
        {
            return sentence;
        }
        agency = true;
        rest = &inner[close + 1..];
    }
    if place_words == 0 && !agency {
        return sentence;
    }
    // A place alone is a dateline only in capitals ("ISTANBUL —"), not a
    // name ("Trump —").
    if !agency && place_has_lower {
        return sentence;
    }
    let body = if let Some(after) = strip_dash(rest.trim_start()) {
        after
    } else if agency && rest.starts_with(|c: char| c.is_uppercase()) {
        // "(CNN)Republicans": the text follows the bracket directly.
        rest
    } else {
        return sentence;
    };
    let body = body.trim_start();
    let starts_well = body
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'".contains(c));
    if starts_well && body.split_whitespace().count() >= 4 {
        body
    } else {
        sentence
    }
}

fn is_dash(word: &str) -> bool {
    matches!(word, "—" | "–" | "-" | "--" | "---")
}

/// The text after a leading dash and the space that follows it.
fn strip_dash(s: &str) -> Option<&str> {
    let end = s.find(char::is_whitespace)?;
    is_dash(&s[..end]).then(|| &s[end..])
}
