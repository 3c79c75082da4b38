//! A matcher for the simple patterns specs use for identifiers and dates, such as
//! `^[a-zA-Z0-9]{32}$` or `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`: a sequence of character classes,
//! each repeated a fixed number of times, the last one possibly a range of times. It checks a
//! 32-character id in a few dozen nanoseconds where a general regular expression engine needs
//! microseconds. Anything else (groups, alternation, a variable repetition before the end) is
//! left to the regex engine: [`Simple::parse`] returns `None`.

/// A parsed simple pattern, anchored at both ends.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Simple {
    items: Vec<Item>,
}

/// One class repeated `min..=max` times (`max` `None`: unbounded).
#[derive(Debug, Clone, PartialEq)]
struct Item {
    class: Class,
    min: usize,
    max: Option<usize>,
}

/// A set of characters: inclusive ranges, possibly negated.
#[derive(Debug, Clone, PartialEq)]
struct Class {
    ranges: Vec<(char, char)>,
    negated: bool,
}

impl Class {
    fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

impl Simple {
    /// Parses `^…$` made of literal characters and `[…]` classes with optional `{n}`, `{n,}`,
    /// `{n,m}`, `*`, `+` or `?`; a repetition of varying length only as the last item, so that
    /// matching never needs to backtrack.
    pub(crate) fn parse(source: &str) -> Option<Simple> {
        let body = source.strip_prefix('^')?.strip_suffix('$')?;
        let mut chars = body.chars().peekable();
        let mut items: Vec<Item> = Vec::new();
        while let Some(c) = chars.next() {
            if items.last().is_some_and(|item| item.max != Some(item.min)) {
                return None;
            }
            let class = match c {
                '[' => parse_class(&mut chars)?,
                '\\' => {
                    let escaped = parse_escape(&mut chars)?;
                    Class {
                        ranges: vec![(escaped, escaped)],
                        negated: false,
                    }
                }
                '(' | ')' | '|' | '.' | '*' | '+' | '?' | '{' | '}' | '^' | '$' | ']' => {
                    return None
                }
                literal => Class {
                    ranges: vec![(literal, literal)],
                    negated: false,
                },
            };
            let (min, max) = match chars.peek() {
                Some('*') => (0, None),
                Some('+') => (1, None),
                Some('?') => (0, Some(1)),
                Some('{') => {
                    chars.next();
                    let mut spec = String::new();
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                        spec.push(c);
                    }
                    let (min, max) = match spec.split_once(',') {
                        None => {
                            let n = spec.parse().ok()?;
                            (n, Some(n))
                        }
                        Some((min, "")) => (min.parse().ok()?, None),
                        Some((min, max)) => (min.parse().ok()?, Some(max.parse().ok()?)),
                    };
                    if max.is_some_and(|max| max < min) {
                        return None;
                    }
                    items.push(Item { class, min, max });
                    // Lazy repetition (`{n}?`) and the like are not simple.
                    if matches!(chars.peek(), Some('?' | '+' | '*' | '{')) {
                        return None;
                    }
                    continue;
                }
                _ => (1, Some(1)),
            };
            if min != 1 || max != Some(1) {
                chars.next();
                if matches!(chars.peek(), Some('?' | '+' | '*' | '{')) {
                    return None;
                }
            }
            items.push(Item { class, min, max });
        }
        Some(Simple { items })
    }

    /// Whether the whole of `value` matches.
    pub(crate) fn is_match(&self, value: &str) -> bool {
        let mut chars = value.chars();
        for item in &self.items {
            for _ in 0..item.min {
                match chars.next() {
                    Some(c) if item.class.contains(c) => {}
                    _ => return false,
                }
            }
            if item.max == Some(item.min) {
                continue;
            }
            // Only the last item varies: it takes the rest.
            let mut extra = 0usize;
            for c in chars.by_ref() {
                if !item.class.contains(c) {
                    return false;
                }
                extra += 1;
            }
            return item.max.is_none_or(|max| item.min + extra <= max);
        }
        chars.next().is_none()
    }
}

/// Reads a class after its `[`, up to and including `]`.
fn parse_class(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<Class> {
    let negated = chars.next_if_eq(&'^').is_some();
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let c = chars.next()?;
        let lo = match c {
            ']' if !first => break,
            '\\' => parse_escape(chars)?,
            '[' => return None,
            c => c,
        };
        first = false;
        // `-` first, last or after a range is literal.
        if chars.peek() == Some(&'-') {
            chars.next();
            if chars.peek() == Some(&']') {
                ranges.push((lo, lo));
                ranges.push(('-', '-'));
                continue;
            }
            let hi = match chars.next()? {
                '\\' => parse_escape(chars)?,
                '[' => return None,
                c => c,
            };
            if hi < lo {
                return None;
            }
            ranges.push((lo, hi));
        } else {
            ranges.push((lo, lo));
        }
    }
    Some(Class { ranges, negated })
}

/// Reads an escape after its `\`: a `\x{XXXX}` code point or an escaped punctuation character.
/// Class escapes such as `\d` or `\w` are not simple.
fn parse_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<char> {
    match chars.next()? {
        'x' => {
            if chars.next()? != '{' {
                return None;
            }
            let mut hex = String::new();
            for c in chars.by_ref() {
                if c == '}' {
                    return char::from_u32(u32::from_str_radix(&hex, 16).ok()?);
                }
                hex.push(c);
            }
            None
        }
        c if c.is_ascii_punctuation() => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::Simple;

    /// Every simple pattern of the CodeArts Build spec, and a few others, agree with the regex
    /// engine on matching and near-miss values.
    #[test]
    fn agrees_with_the_regex_engine() {
        let patterns = [
            "^[a-zA-Z0-9]{32}$",
            "^[0-9a-z]{32}$",
            "^[0-9a-z-]{36}$",
            "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$",
            "^[a-zA-Z0-9-]{1,64}$",
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "^[A-Za-z0-9-]{1,32}$",
            "^[0-9a-z]+$",
            "^[0-9]+$",
            "^[1-9][0-9]*$",
            "^[^一-龥]*$",
            "^[A-Za-z0-9_-]{1,40}$",
            "^[a-zA-Z0-9_-]{1,115}$",
            "^[^\\x{4e00}-\\x{9fa5}]{0,}$",
            "^ab?$",
            "^a\\.b$",
            "^[-a]{2}$",
        ];
        let values = [
            "",
            "0",
            "01",
            "10",
            "a",
            "ab",
            "ac",
            "abc",
            "a.b",
            "axb",
            "-a",
            "a-",
            "2024-01-31",
            "2024-01-31 12:00:00",
            "2024-1-31",
            "cb5fa20de5fd4cf8be681d4bd6fdd2f6",
            "cb5fa20de5fd4cf8be681d4bd6fdd2f",
            "cb5fa20de5fd4cf8be681d4bd6fdd2f6a",
            "CB5FA20DE5FD4CF8BE681D4BD6FDD2F6",
            "cb5fa20de5fd4cf8be681d4bd6fdd2f!",
            "3f1c2b5e-8d3a-4c7b-9e2f-1a2b3c4d5e6f",
            "name_with-dash",
            "中文",
            "テスト",
            "x一",
        ];
        for pattern in patterns {
            let simple = Simple::parse(pattern).unwrap_or_else(|| panic!("{pattern} is simple"));
            let regex = regex_lite::Regex::new(pattern).unwrap();
            let long = "a".repeat(64);
            let longer = "a".repeat(65);
            for value in values
                .iter()
                .copied()
                .chain([long.as_str(), longer.as_str()])
            {
                assert_eq!(
                    simple.is_match(value),
                    regex.is_match(value),
                    "{pattern} on {value:?}"
                );
            }
        }
    }

    #[test]
    fn other_patterns_are_left_to_the_regex_engine() {
        for pattern in [
            "[a-z]+",
            "^[a-z]+",
            "^(a|b)$",
            "^[a-z]*a$",
            "^\\d{3}$",
            "^a{2}?$",
            "^ab?c$",
            "^.$",
            "^[a-z]{2,1}$",
        ] {
            assert_eq!(Simple::parse(pattern), None, "{pattern}");
        }
    }
}
