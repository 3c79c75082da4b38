//! Printing a JSON reply: pretty JSON (the default), or a plain table.

use serde_json::Value;

/// How replies are printed (`--output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Pretty-printed JSON.
    Json,
    /// Aligned columns: one row per item of the reply's list, else one per field.
    Table,
}

impl Format {
    /// The `--output` value (clap has checked it).
    pub fn from_flag(value: Option<&String>) -> Self {
        match value.map(String::as_str) {
            Some("table") => Format::Table,
            _ => Format::Json,
        }
    }
}

/// The text printed for `value`, ending with a newline.
pub fn render(value: &Value, format: Format) -> String {
    match format {
        Format::Json => {
            let mut text =
                serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
            text.push('\n');
            text
        }
        Format::Table => table(value),
    }
}

/// The first list of objects in `value` (breadth first), such as a page of jobs.
fn rows(value: &Value) -> Option<&Vec<Value>> {
    let mut queue = vec![value];
    while !queue.is_empty() {
        let mut next = Vec::new();
        for v in queue {
            match v {
                Value::Array(items) if items.iter().any(Value::is_object) => return Some(items),
                Value::Object(map) => next.extend(map.values()),
                _ => {}
            }
        }
        queue = next;
    }
    None
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.replace(['\n', '\t'], " "),
        other => other.to_string(),
    }
}

fn table(value: &Value) -> String {
    let (header, body): (Vec<String>, Vec<Vec<String>>) = match rows(value) {
        Some(items) => {
            // Columns: the scalar fields, in first-seen order.
            let mut columns: Vec<String> = Vec::new();
            for item in items {
                if let Value::Object(map) = item {
                    for (key, v) in map {
                        if !v.is_object() && !v.is_array() && !columns.contains(key) {
                            columns.push(key.clone());
                        }
                    }
                }
            }
            let body = items
                .iter()
                .map(|item| {
                    columns
                        .iter()
                        .map(|c| item.get(c).map(cell).unwrap_or_default())
                        .collect()
                })
                .collect();
            (columns, body)
        }
        None => {
            let mut lines = Vec::new();
            flatten("", value, &mut lines);
            (
                vec!["FIELD".to_owned(), "VALUE".to_owned()],
                lines.into_iter().map(|(k, v)| vec![k, v]).collect(),
            )
        }
    };
    let header: Vec<String> = header.iter().map(|h| h.to_uppercase()).collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            body.iter()
                .map(|row| row[i].chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&body) {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(text, width)| format!("{text:<width$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Every scalar of `value` with its dotted path.
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), v, out);
            }
        }
        scalar => out.push((prefix.to_owned(), cell(scalar))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_list_becomes_rows() {
        let value = json!({"result": {"total": 2, "jobs": [
            {"id": "a", "name": "one", "nested": {"x": 1}},
            {"id": "b", "name": "two words", "extra": true}
        ]}});
        assert_eq!(
            render(&value, Format::Table),
            "ID  NAME       EXTRA\na   one\nb   two words  true\n"
        );
    }

    #[test]
    fn an_object_becomes_fields() {
        let value = json!({"result": {"is_running": false}, "status": "success"});
        assert_eq!(
            render(&value, Format::Table),
            "FIELD              VALUE\nresult.is_running  false\nstatus             success\n"
        );
    }
}
