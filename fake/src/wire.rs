//! A request as the routes read it: path parameters by name, decoded query pairs, headers, the
//! JSON body and multipart parts, each parsed into the type the generated crate declares.

use codearts_build::FilePart;
use codearts_testkit::server::RecordedRequest;
use serde_json::Value;

/// Why a request is invalid: the service's 400 reply names the input and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// What is wrong, naming the input.
    pub message: String,
    /// The input is a job id (the service then answers `CB.00060201`).
    pub job_id: bool,
}

impl Invalid {
    pub(crate) fn new(name: &str, problem: impl std::fmt::Display) -> Self {
        Invalid {
            message: format!("`{name}` {problem}"),
            job_id: name == "job_id",
        }
    }
}

impl From<codearts_build::Error> for Invalid {
    fn from(error: codearts_build::Error) -> Self {
        let message = error.to_string();
        Invalid {
            job_id: message.contains("job_id"),
            message,
        }
    }
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub data: Vec<u8>,
}

/// The request of one route, with its path parameters.
pub struct Wire<'a> {
    pub(crate) request: &'a RecordedRequest,
    pub(crate) path_params: Vec<(String, String)>,
    pub(crate) parts: Option<Vec<Part>>,
}

impl<'a> Wire<'a> {
    pub(crate) fn new(request: &'a RecordedRequest, path_params: Vec<(String, String)>) -> Self {
        let parts = request
            .header("content-type")
            .filter(|t| t.to_ascii_lowercase().starts_with("multipart/form-data"))
            .and_then(boundary)
            .map(|b| parse_multipart(&request.body, &b));
        Wire {
            request,
            path_params,
            parts,
        }
    }

    /// The decoded path parameter `name`.
    pub(crate) fn path_text(&self, name: &str) -> Option<&str> {
        self.path_params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The decoded query parameter `name`.
    pub(crate) fn query_text(&self, name: &str) -> Option<String> {
        self.request.query_param(name)
    }

    /// Path parameter `name` as `T`.
    pub fn path<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Invalid> {
        self.path_text(name).map(|v| parse(name, v)).transpose()
    }

    /// Query parameter `name` as `T` (its first value).
    pub fn query<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Invalid> {
        self.query_text(name).map(|v| parse(name, &v)).transpose()
    }

    /// Every value of the repeated query parameter `name`.
    pub fn query_all<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<Vec<T>>, Invalid> {
        let values: Vec<T> = self
            .request
            .query_pairs()
            .into_iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| parse(name, &v))
            .collect::<Result<_, _>>()?;
        Ok((!values.is_empty()).then_some(values))
    }

    /// Header `name` as `T` (for the header parameters of a spec; today's has none).
    #[allow(dead_code)]
    pub fn header<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Invalid> {
        self.request
            .header(name)
            .map(|v| parse(name, v))
            .transpose()
    }

    /// The JSON body as `T`; `None` when there is no body.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, Invalid> {
        if self.request.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        serde_json::from_slice(&self.request.body)
            .map(Some)
            .map_err(|e| Invalid::new("body", format_args!("does not fit its schema: {e}")))
    }

    /// The JSON body as a value (`Null` when absent or not JSON).
    pub(crate) fn json_value(&self) -> Value {
        serde_json::from_slice(&self.request.body).unwrap_or(Value::Null)
    }

    fn part(&self, name: &str) -> Option<&Part> {
        self.parts.as_ref()?.iter().find(|p| p.name == name)
    }

    /// Text part `name` as `T`.
    pub fn form_text<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, Invalid> {
        self.part(name)
            .map(|p| parse(name, &String::from_utf8_lossy(&p.data)))
            .transpose()
    }

    /// File part `name`.
    pub fn form_file(&self, name: &str) -> Option<FilePart> {
        self.part(name).map(file_part)
    }

    /// Every file part called `name`.
    pub fn form_files(&self, name: &str) -> Option<Vec<FilePart>> {
        let files: Vec<FilePart> = self
            .parts
            .as_ref()?
            .iter()
            .filter(|p| p.name == name)
            .map(file_part)
            .collect();
        (!files.is_empty()).then_some(files)
    }

    /// The raw part `name`.
    pub(crate) fn part_data(&self, name: &str) -> Option<(Option<String>, Vec<u8>)> {
        self.part(name)
            .map(|p| (p.filename.clone(), p.data.clone()))
    }
}

fn file_part(part: &Part) -> FilePart {
    FilePart::from_bytes(
        part.filename.clone().unwrap_or_else(|| part.name.clone()),
        part.data.clone(),
    )
}

/// Text from the wire as `T`: as a JSON string first (strings and string enums), then as a
/// JSON literal (numbers, booleans).
fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Result<T, Invalid> {
    serde_json::from_value(Value::String(text.to_owned()))
        .or_else(|_| serde_json::from_str(text))
        .map_err(|_| Invalid::new(name, format_args!("has an invalid value `{text}`")))
}

fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').find_map(|p| {
        let p = p.trim();
        p.strip_prefix("boundary=")
            .map(|b| b.trim_matches('"').to_owned())
    })
}

/// The parts of a multipart body; a malformed body yields the parts found before the fault.
fn parse_multipart(body: &[u8], boundary: &str) -> Vec<Part> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = body;
    let Some(start) = find(rest, &delimiter) else {
        return parts;
    };
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        let rest_after_crlf = rest.strip_prefix(b"\r\n").unwrap_or(rest);
        let Some(head_end) = find(rest_after_crlf, b"\r\n\r\n") else {
            break;
        };
        let head = String::from_utf8_lossy(&rest_after_crlf[..head_end]).into_owned();
        let content = &rest_after_crlf[head_end + 4..];
        let mut marker = b"\r\n".to_vec();
        marker.extend_from_slice(&delimiter);
        let Some(end) = find(content, &marker) else {
            break;
        };
        let mut name = None;
        let mut filename = None;
        for line in head.lines() {
            if line
                .to_ascii_lowercase()
                .starts_with("content-disposition:")
            {
                for field in line.split(';').skip(1) {
                    let field = field.trim();
                    if let Some(v) = field.strip_prefix("name=") {
                        name = Some(v.trim_matches('"').to_owned());
                    } else if let Some(v) = field.strip_prefix("filename=") {
                        filename = Some(v.trim_matches('"').to_owned());
                    }
                }
            }
        }
        if let Some(name) = name {
            parts.push(Part {
                name,
                filename,
                data: content[..end].to_vec(),
            });
        }
        rest = &content[end + marker.len()..];
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_parts_are_split() {
        let body = b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jks\"\r\nContent-Type: application/octet-stream\r\n\r\nBIN\r\ndata\r\n--xyz\r\nContent-Disposition: form-data; name=\"privacy\"\r\n\r\ntrue\r\n--xyz--\r\n";
        let parts = parse_multipart(body, "xyz");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].filename.as_deref(), Some("a.jks"));
        assert_eq!(parts[0].data, b"BIN\r\ndata");
        assert_eq!(parts[1].name, "privacy");
        assert_eq!(parts[1].data, b"true");
    }

    #[test]
    fn wire_text_parses_as_string_then_literal() {
        assert_eq!(parse::<String>("a", "12"), Ok("12".to_owned()));
        assert_eq!(parse::<i32>("a", "12"), Ok(12));
        assert_eq!(parse::<bool>("a", "true"), Ok(true));
        assert!(parse::<i32>("a", "x").is_err());
    }
}
