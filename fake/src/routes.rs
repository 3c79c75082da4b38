//! The route table's types and path matching; the table itself is generated from the spec
//! (`generated/routes.rs`).

use crate::generated::routes::ROUTES;

/// What an operation answers when the fake keeps no state for it: the spec's documented
/// success reply, or one made up from the response schema where the spec documents none.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Example {
    /// A JSON reply.
    Json { status: u16, body: &'static str },
    /// A download.
    Bytes { status: u16 },
    /// No body (no operation of today's spec answers with none).
    #[allow(dead_code)]
    Empty { status: u16 },
}

/// A list operation's paging convention (`x-pagination`), by wire names.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    /// The position counts items (offset/limit), not pages.
    pub offset: bool,
    /// The paging fields are in the JSON body, not the query.
    pub in_body: bool,
    /// The position field.
    pub position: &'static str,
    /// The page size field.
    pub size: &'static str,
    /// The first page's number (page style).
    pub first: u64,
    /// Where the items are in the reply.
    pub items: &'static [&'static str],
    /// Where the total is in the reply, and whether it is sent as a string.
    pub total: Option<(&'static [&'static str], bool)>,
}

/// One operation of the spec.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Route {
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub example: Example,
    pub paging: Option<Paging>,
}

/// A matched route, its decoded path parameters, and how many literal segments matched.
type Match = (&'static Route, Vec<(String, String)>, usize);

/// The route of `method` and the (still percent-encoded) `path`, and its decoded path
/// parameters. A literal segment wins over a parameter, as in the service's router.
pub(crate) fn find(method: &str, path: &str) -> Option<(&'static Route, Vec<(String, String)>)> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let mut best: Option<Match> = None;
    for route in ROUTES.iter().filter(|r| r.method == method) {
        let template: Vec<&str> = route.path.trim_start_matches('/').split('/').collect();
        if template.len() != segments.len() {
            continue;
        }
        let mut params = Vec::new();
        let mut literals = 0;
        let matched = template.iter().zip(&segments).all(|(t, s)| {
            if let Some(name) = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                params.push((name.to_owned(), codearts_testkit::server::percent_decode(s)));
                !s.is_empty()
            } else {
                literals += 1;
                t == s
            }
        });
        if matched && best.as_ref().is_none_or(|(_, _, l)| literals > *l) {
            best = Some((route, params, literals));
        }
    }
    best.map(|(route, params, _)| (route, params))
}

/// The route of operation `id`.
pub(crate) fn by_id(id: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.id == id)
}

/// The ids of every operation the fake routes, in the spec's order.
pub fn operation_ids() -> impl Iterator<Item = &'static str> {
    ROUTES.iter().map(|r| r.id)
}
