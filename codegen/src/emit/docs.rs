//! Spec prose to rustdoc: escaped so that it renders as written and passes `rustdoc -D warnings`.

use proc_macro2::TokenStream;
use quote::quote;

/// Escapes one paragraph of spec text for Markdown/rustdoc.
///
/// Outside backtick spans, `[x]` would become a (broken) intra-doc link and `<tag>` an HTML tag;
/// bare URLs trigger `rustdoc::bare_urls`. Emphasis markers are left alone: intraword `_` (as
/// in `page_index`) is not emphasis in CommonMark. Text inside backticks is code and is
/// kept as is.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // An odd number of backticks leaves the last part outside any span; odd indices are code.
        if i % 2 == 1 && text.matches('`').count() > i {
            out.push_str(part);
        } else {
            out.push_str(&escape_prose(part));
        }
    }
    out
}

fn escape_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in split_keep_spaces(text) {
        if word.starts_with("http://") || word.starts_with("https://") {
            let trimmed = word.trim_end_matches(['.', ',', ';', ')']);
            out.push('<');
            out.push_str(trimmed);
            out.push('>');
            out.push_str(&word[trimmed.len()..]);
            continue;
        }
        for c in word.chars() {
            if matches!(c, '[' | ']' | '<' | '>' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

fn split_keep_spaces(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == ' ' {
            if start < i {
                parts.push(&text[start..i]);
            }
            parts.push(" ");
            start = i + 1;
        }
    }
    if start < text.len() {
        parts.push(&text[start..]);
    }
    parts
}

/// Normalises spec text into paragraphs of single-line text: line breaks inside a paragraph are
/// joined and leading indentation dropped, so nothing turns into an indented code block (which
/// rustdoc would compile as a doctest).
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Doc lines → `#[doc = "..."]` attributes. Each entry is one paragraph (already escaped, or raw
/// Markdown written by the generator); paragraphs are separated by blank doc lines.
pub fn attrs(blocks: &[String]) -> TokenStream {
    let lines = lines(blocks);
    quote! { #( #[doc = #lines] )* }
}

/// Like [`attrs`], as inner attributes (`//!`) for a module's own docs.
pub fn inner_attrs(blocks: &[String]) -> TokenStream {
    let lines = lines(blocks);
    quote! { #( #![doc = #lines] )* }
}

fn lines(blocks: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for block in blocks {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(block.lines().map(|l| format!(" {l}").trim_end().to_owned()));
    }
    lines
}

/// Escaped paragraphs of an optional description.
pub fn prose(text: Option<&str>) -> Vec<String> {
    text.map(paragraphs)
        .unwrap_or_default()
        .iter()
        .map(|p| escape(p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_outside_code() {
        assert_eq!(
            escape("see [x] and <tag> but `a[0]<b>`"),
            "see \\[x\\] and \\<tag\\> but `a[0]<b>`"
        );
        assert_eq!(
            escape("at https://example.com/a."),
            "at <https://example.com/a>."
        );
        assert_eq!(escape("page_index"), "page_index");
    }

    #[test]
    fn joins_lines_into_paragraphs() {
        assert_eq!(
            paragraphs("a\n    b\n\nc"),
            vec!["a b".to_owned(), "c".to_owned()]
        );
    }
}
