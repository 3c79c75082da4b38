//! Translation of spec patterns (ECMA-262, as OpenAPI defines them) to the regex-lite dialect the
//! generated crate checks them with.

/// Translates `pattern`, or explains why it cannot be used.
///
/// ECMA-262 spells code points `\uXXXX`; regex-lite wants `\x{XXXX}`. ECMA also allows escaping
/// `/`, which regex-lite rejects as an unknown escape. The result is compiled here so that a
/// pattern the generated crate could not compile is a spec error, not a runtime surprise.
pub fn translate(pattern: &str) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                if hex.len() != 4 || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                    return Err(format!(
                        "pattern {pattern:?}: `\\u` must be followed by four hex digits"
                    ));
                }
                out.push_str(&format!("\\x{{{hex}}}"));
            }
            Some('/') => out.push('/'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => return Err(format!("pattern {pattern:?} ends with a lone backslash")),
        }
    }
    regex_lite::Regex::new(&out)
        .map_err(|e| format!("pattern {pattern:?} is not a valid regular expression: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn translates_unicode_escapes() {
        assert_eq!(
            translate("^[^\\u4e00-\\u9fa5]{0,}$").unwrap(),
            "^[^\\x{4e00}-\\x{9fa5}]{0,}$"
        );
        assert_eq!(translate("^a\\/b$").unwrap(), "^a/b$");
    }

    #[test]
    fn rejects_invalid_patterns() {
        assert!(translate("^[a-z$")
            .unwrap_err()
            .contains("not a valid regular expression"));
        assert!(translate("\\u12").is_err());
    }
}
