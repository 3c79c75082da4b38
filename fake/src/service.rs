//! One request through the fake: recording, the control endpoint, the gateway, faults, the
//! route and its checks, then the stateful handler or the documented example.

use std::sync::Mutex;

use codearts_testkit::server::{http_date, RecordedRequest, Reply};
use serde_json::{json, Value};

use crate::faults::{self, Fault, FaultRule};
use crate::gateway::{self, Keys};
use crate::record::{self, Recorded};
use crate::routes::{self, Example, Route};
use crate::state::{BuildState, Script, State};
use crate::wire::{Invalid, Wire};

/// Everything shared by the server's connections.
pub(crate) struct Inner {
    pub keys: Keys,
    pub project_id: String,
    pub domain_id: String,
    pub state: Mutex<State>,
    pub faults: Mutex<Vec<FaultRule>>,
    pub requests: Mutex<Vec<Recorded>>,
    /// Added to the system clock: a test moves the gateway's clock to check signing times.
    pub clock_offset: Mutex<i64>,
}

/// An answer before it goes on the wire (faults rewrite it).
pub(crate) struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(status: u16, body: &Value) -> Self {
        Answer {
            status,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: serde_json::to_vec(body).unwrap_or_default(),
        }
    }

    fn bytes(status: u16, body: Vec<u8>) -> Self {
        Answer {
            status,
            headers: vec![(
                "Content-Type".to_owned(),
                "application/octet-stream".to_owned(),
            )],
            body,
        }
    }

    fn into_reply(self) -> Reply {
        let mut reply = Reply::bytes(self.status, self.body);
        for (name, value) in &self.headers {
            reply = reply.header(name, value);
        }
        reply
    }
}

/// The service's error reply.
pub(crate) fn error(status: u16, code: &str, message: &str) -> Answer {
    Answer::json(status, &json!({ "error_code": code, "error_msg": message }))
}

fn invalid(problem: &Invalid) -> Answer {
    let code = if problem.job_id {
        "CB.00060201"
    } else {
        "CB.00060200"
    };
    error(400, code, &problem.message)
}

fn no_job(id: &str) -> Answer {
    error(
        400,
        "CB.00060201",
        &format!("The job ID parameter is invalid: no job `{id}`."),
    )
}

impl Inner {
    pub fn now(&self) -> u64 {
        let system = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let offset = *self.clock_offset.lock().expect("clock");
        system.saturating_add_signed(offset)
    }

    pub fn handle(&self, request: &RecordedRequest, request_id: String) -> Reply {
        if request.path.starts_with("/__fake/") {
            return crate::control::handle(self, request).into_reply();
        }
        let found = routes::find(&request.method, &request.path);
        let operation = found.as_ref().map(|(r, _)| r.id);
        self.requests
            .lock()
            .expect("request log")
            .push(record::record(request, operation));
        let now = self.now();
        if let Err(message) = gateway::authenticate(request, &self.keys, now) {
            let body = json!({
                "error_code": "APIGW.0301",
                "error_msg": message,
                "request_id": request_id,
            });
            return Answer::json(401, &body)
                .into_reply()
                .header("Date", &http_date(now))
                .header("X-Request-Id", &request_id);
        }
        let fault = faults::take(&mut self.faults.lock().expect("faults"), operation);
        let answer = match &fault {
            Some(Fault::TooManyRequests { retry_after }) => {
                let mut a = error(
                    429,
                    "APIGW.0308",
                    "The throttling threshold has been reached: policy user over ratelimit",
                );
                a.headers
                    .push(("Retry-After".to_owned(), retry_after.to_string()));
                return a.into_reply().header("X-Request-Id", &request_id);
            }
            Some(Fault::ServerError(status)) => {
                return error(
                    *status,
                    "CB.00060100",
                    "The network is busy; try again later.",
                )
                .into_reply()
                .header("X-Request-Id", &request_id);
            }
            Some(Fault::DropConnection) => return Reply::drop_connection(),
            Some(Fault::ErrorInOk { message }) => error(200, "CB.00060101", message),
            Some(Fault::JsonInsteadOfStream) => {
                error(200, "CB.00060101", "Internal service error.")
            }
            _ => match found {
                None => error(
                    404,
                    "CB.00060214",
                    &format!(
                        "The requested URL does not exist: {} {}",
                        request.method, request.path
                    ),
                ),
                Some((route, params)) => {
                    let wire = Wire::new(request, params);
                    match crate::generated::routes::check(route.id, &wire) {
                        Err(problem) => invalid(&problem),
                        Ok(()) => self.answer(route, &wire, now),
                    }
                }
            },
        };
        let mut reply = match &fault {
            Some(Fault::TruncatedBody) => {
                let announced = answer.body.len();
                let mut cut = answer.body;
                cut.truncate(announced / 2);
                let mut reply = Reply::truncated(answer.status, cut, announced);
                for (name, value) in &answer.headers {
                    reply = reply.header(name, value);
                }
                reply
            }
            _ => answer.into_reply(),
        };
        if let Some(Fault::Delay(delay)) = fault {
            reply = reply.delay(delay);
        }
        reply.header("X-Request-Id", &request_id)
    }

    /// The answer of a valid request of `route`: stateful where the fake models the service,
    /// else the documented example.
    fn answer(&self, route: &Route, wire: &Wire<'_>, now: u64) -> Answer {
        let mut state = self.state.lock().expect("state");
        match stateful(self, &mut state, route, wire, now) {
            Some(answer) => answer,
            None => example(route),
        }
    }
}

/// The documented example reply of `route`.
pub(crate) fn example(route: &Route) -> Answer {
    match route.example {
        Example::Json { status, body } => Answer {
            status,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: body.as_bytes().to_vec(),
        },
        Example::Bytes { status } => Answer::bytes(
            status,
            format!("{} download of the fake CodeArts Build server\n", route.id).into_bytes(),
        ),
        Example::Empty { status } => Answer {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        },
    }
}

/// The example JSON of `route` as a value to fill in.
fn template(route: &Route) -> Value {
    match route.example {
        Example::Json { body, .. } => serde_json::from_str(body).unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// Sets the value at `path` (object keys) in `value`, creating objects on the way.
fn set(value: &mut Value, path: &[&str], new: Value) {
    let mut current = value;
    for key in path {
        if !current.is_object() {
            *current = json!({});
        }
        current = current
            .as_object_mut()
            .expect("an object")
            .entry((*key).to_owned())
            .or_insert(Value::Null);
    }
    *current = new;
}

fn get<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

/// The first item of the template's list at `path`, as the shape of every listed item.
fn item_template(value: &Value, path: &[&str]) -> Value {
    get(value, path)
        .and_then(|v| v.as_array())
        .and_then(|a| a.first())
        .cloned()
        .unwrap_or_else(|| json!({}))
}

/// The page of `items` the request asks for, in the route's paging convention, written into
/// the template (items and total).
fn page(route: &Route, wire: &Wire<'_>, mut reply: Value, items: Vec<Value>) -> Value {
    let Some(paging) = route.paging else {
        return reply;
    };
    let read = |name: &str| -> Option<u64> {
        if paging.in_body {
            get(&wire.json_value(), &[name]).and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            })
        } else {
            wire.query_text(name).and_then(|v| v.parse().ok())
        }
    };
    let size = read(paging.size).filter(|s| *s > 0).unwrap_or(10) as usize;
    let start = match read(paging.position) {
        Some(offset) if paging.offset => offset as usize,
        Some(page) => page.saturating_sub(paging.first) as usize * size,
        None => 0,
    };
    let total = items.len();
    let page: Vec<Value> = items.into_iter().skip(start).take(size).collect();
    set(&mut reply, paging.items, Value::Array(page));
    if let Some((path, as_string)) = paging.total {
        let total = if as_string {
            Value::from(total.to_string())
        } else {
            Value::from(total)
        };
        set(&mut reply, path, total);
    }
    reply
}

fn ok(value: Value) -> Option<Answer> {
    Some(Answer::json(200, &value))
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(|v| v.as_str()).map(str::to_owned)
}

/// Unix seconds as the service's `2022-10-11T08:28:42.000+00:00`.
fn iso(unix: u64) -> String {
    let date = http_date(unix);
    // `Sun, 06 Nov 1994 08:49:37 GMT` → its parts.
    let parts: Vec<&str> = date.split(' ').collect();
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == parts[2])
    .unwrap_or(0)
        + 1;
    format!(
        "{}-{month:02}-{}T{}.000+00:00",
        parts[3], parts[1], parts[4]
    )
}

/// The stateful operations; `None` hands the request to the documented example.
fn stateful(
    inner: &Inner,
    state: &mut State,
    route: &Route,
    wire: &Wire<'_>,
    now: u64,
) -> Option<Answer> {
    let body = wire.json_value();
    let path = |name: &str| wire.path_text(name).unwrap_or_default().to_owned();
    let mut reply = template(route);
    match route.id {
        "create_new_job" | "copy_job" => {
            if route.id == "copy_job" {
                let from = text(&body, "copy_job_id").unwrap_or_default();
                if state.job(&from).is_none() {
                    return Some(no_job(&from));
                }
            }
            let name = text(&body, "job_name").unwrap_or_default();
            let project = text(&body, "project_id").unwrap_or_else(|| inner.project_id.clone());
            let id = state.create_job(&name, &project, body, now);
            set(&mut reply, &["result", "job_id"], json!(id));
            ok(reply)
        }
        "update_new_job" => {
            let id = text(&body, "job_id").unwrap_or_default();
            let Some(job) = state.job(&id) else {
                return Some(no_job(&id));
            };
            if let Some(name) = text(&body, "job_name") {
                job.name = name;
            }
            job.config = body;
            set(&mut reply, &["result", "job_id"], json!(id));
            ok(reply)
        }
        "show_job_info" => {
            let id = path("job_id");
            let Some(job) = state.job(&id) else {
                return Some(no_job(&id));
            };
            let r = &mut reply;
            set(r, &["result", "id"], json!(job.id));
            set(r, &["result", "job_name"], json!(job.name));
            set(r, &["result", "project_id"], json!(job.project_id));
            set(r, &["result", "disabled"], json!(job.disabled));
            set(r, &["result", "create_time"], json!(job.created_at * 1000));
            let last = job.last();
            let running = last.is_some_and(|b| !b.state.finished());
            set(
                r,
                &["result", "running_status"],
                json!(if running { "Running" } else { "Finished" }),
            );
            if let Some(b) = last {
                let status = match b.state {
                    BuildState::Success => "success",
                    BuildState::Failed => "failed",
                    BuildState::Aborted => "aborted",
                    _ => "running",
                };
                set(r, &["result", "last_build_status"], json!(status));
                set(
                    r,
                    &["result", "last_build_time"],
                    json!(b.started_at * 1000),
                );
            }
            ok(reply)
        }
        "disable_the_job" => {
            let id = path("job_id");
            let Some(job) = state.job(&id) else {
                return Some(no_job(&id));
            };
            job.disabled = body
                .get("disabled")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            ok(reply)
        }
        "disable_build_job" | "enable_build_job" => {
            let id = path("job_id");
            let Some(job) = state.job(&id) else {
                return Some(no_job(&id));
            };
            job.disabled = route.id == "disable_build_job";
            None
        }
        "delete_the_job" => {
            let id = path("job_id");
            let Some(job) = state.job(&id) else {
                return Some(no_job(&id));
            };
            job.deleted_at = Some(now);
            set(&mut reply, &["result", "job_id"], json!(job.id));
            set(&mut reply, &["result", "project_id"], json!(job.project_id));
            ok(reply)
        }
        "list_project_jobs" => {
            let project = path("project_id");
            let shape = item_template(&reply, &["jobs"]);
            let jobs = state
                .order
                .iter()
                .filter_map(|id| state.jobs.get(id))
                .filter(|j| j.deleted_at.is_none() && j.project_id == project)
                .map(|j| {
                    let mut item = shape.clone();
                    set(&mut item, &["id"], json!(j.id));
                    set(&mut item, &["job_name"], json!(j.name));
                    set(&mut item, &["disabled"], json!(j.disabled));
                    let colour = j.last().map_or("none", |b| b.state.colour());
                    set(&mut item, &["last_build_status"], json!(colour));
                    set(
                        &mut item,
                        &["is_finished"],
                        json!(j.last().is_none_or(|b| b.state.finished())),
                    );
                    item
                })
                .collect();
            ok(page(route, wire, reply, jobs))
        }
        "list_recycling_job" => {
            let shape = item_template(&reply, &["result", "job_list"]);
            let jobs = state
                .order
                .iter()
                .filter_map(|id| state.jobs.get(id))
                .filter_map(|j| Some((j, j.deleted_at?)))
                .map(|(j, deleted)| {
                    let mut item = shape.clone();
                    set(&mut item, &["job_id"], json!(j.id));
                    set(&mut item, &["job_name"], json!(j.name));
                    set(&mut item, &["project_id"], json!(j.project_id));
                    set(
                        &mut item,
                        &["delete_time_stamp"],
                        json!(deleted.to_string()),
                    );
                    item
                })
                .collect();
            ok(page(route, wire, reply, jobs))
        }
        "restore_recycling_jobs" | "delete_recycling_jobs" => {
            let ids: Vec<String> = body
                .get("job_ids")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            for id in ids {
                if route.id == "restore_recycling_jobs" {
                    if let Some(job) = state.jobs.get_mut(&id) {
                        job.deleted_at = None;
                    }
                } else if state.jobs.get(&id).is_some_and(|j| j.deleted_at.is_some()) {
                    state.jobs.remove(&id);
                    state.order.retain(|o| *o != id);
                }
            }
            None
        }
        "clear_recycling_jobs" => {
            let gone: Vec<String> = state
                .jobs
                .values()
                .filter(|j| j.deleted_at.is_some())
                .map(|j| j.id.clone())
                .collect();
            for id in gone {
                state.jobs.remove(&id);
                state.order.retain(|o| *o != id);
            }
            None
        }
        "execute_job" => {
            let id = text(&body, "job_id").unwrap_or_default();
            match state.job(&id) {
                None => return Some(no_job(&id)),
                Some(job) if job.disabled => {
                    return Some(error(
                        400,
                        "CB.00060200",
                        &format!("The job `{id}` is disabled."),
                    ))
                }
                Some(_) => {}
            }
            let number = state.start_build(&id, now)?;
            set(
                &mut reply,
                &["actual_build_number"],
                json!(number.to_string()),
            );
            set(
                &mut reply,
                &["daily_build_number"],
                json!(format!("{}.{number}", &iso(now)[..10].replace('-', ""))),
            );
            ok(reply)
        }
        "stop_the_job" => {
            let id = path("job_id");
            let Some(job) = state.job(&id) else {
                return Some(no_job(&id));
            };
            let wanted: Option<u32> = wire.query_text("build_no").and_then(|n| n.parse().ok());
            let build = match wanted {
                Some(n) => job.build_mut(n),
                None => job.builds.iter_mut().rev().find(|b| !b.state.finished()),
            };
            if let Some(build) = build.filter(|b| !b.state.finished()) {
                build.finish(BuildState::Aborted, now);
            }
            None
        }
        "show_running_status" => {
            let id = path("job_id");
            let Some(job) = state.job(&id) else {
                return Some(no_job(&id));
            };
            if let Some(b) = job.builds.last_mut() {
                b.tick(now);
            }
            let last = job.last();
            let running = last.is_some_and(|b| !b.state.finished());
            set(&mut reply, &["result", "is_running"], json!(running));
            set(&mut reply, &["result", "last_job_id"], json!(job.id));
            set(
                &mut reply,
                &["result", "last_build_no"],
                json!(last.map_or(0, |b| b.number).to_string()),
            );
            set(
                &mut reply,
                &["result", "last_build_status"],
                json!(if running { "Running" } else { "Finished" }),
            );
            ok(reply)
        }
        "show_job_build_record_detail" => {
            let id = path("job_id");
            let number: u32 = path("build_no").parse().unwrap_or(0);
            let project = inner.project_id.clone();
            let Some(job) = state.job(&id) else {
                return Some(no_job(&id));
            };
            let Some(build) = job.build_mut(number) else {
                return Some(error(
                    400,
                    "CB.00060200",
                    &format!("Job `{id}` has no build {number}."),
                ));
            };
            build.tick(now);
            let r = &mut reply;
            set(r, &["result", "build_no"], json!(build.number));
            set(r, &["result", "codeci_job_id"], json!(id));
            set(r, &["result", "build_record_id"], json!(build.record_id));
            set(r, &["result", "id"], json!(build.record_id));
            set(r, &["result", "devcloud_project_id"], json!(project));
            set(r, &["result", "status"], json!(build.state.record_status()));
            set(r, &["result", "start_time"], json!(iso(build.started_at)));
            set(
                r,
                &["result", "finish_time"],
                build.finished_at.map_or(Value::Null, |t| json!(iso(t))),
            );
            set(
                r,
                &["result", "duration"],
                json!(
                    build
                        .finished_at
                        .unwrap_or(now)
                        .saturating_sub(build.started_at)
                        * 1000
                ),
            );
            ok(reply)
        }
        "download_build_real_time_log" => {
            let id = path("job_id");
            let number: u32 = path("build_no").parse().unwrap_or(0);
            let Some(job) = state.job(&id) else {
                return Some(no_job(&id));
            };
            let Some(build) = job.build_mut(number) else {
                return Some(error(
                    400,
                    "CB.00060200",
                    &format!("Job `{id}` has no build {number}."),
                ));
            };
            build.tick(now);
            let start = wire
                .query_text("start_offset")
                .and_then(|s| s.parse::<usize>().ok())
                .unwrap_or(0)
                .min(build.log.len());
            let chunk = &build.log[start..];
            let r = &mut reply;
            set(r, &["result", "log"], json!(chunk));
            set(r, &["result", "start_offset"], json!(start.to_string()));
            set(
                r,
                &["result", "end_offset"],
                json!(build.log.len().to_string()),
            );
            set(r, &["result", "has_more"], json!(!build.state.finished()));
            ok(reply)
        }
        "download_build_full_log" => {
            let record = path("record_id");
            match state.by_record(&record) {
                Some((build, _)) => Some(Answer::bytes(200, build.log.clone().into_bytes())),
                None => Some(error(
                    400,
                    "CB.00060200",
                    &format!("No build record `{record}`."),
                )),
            }
        }
        "list_build_info_record_by_job_id" => {
            let id = path("job_id");
            let shape = item_template(&reply, &["result", "job_build_states"]);
            let Some(job) = state.job(&id) else {
                return Some(no_job(&id));
            };
            let records = job
                .builds
                .iter()
                .rev()
                .map(|b| {
                    let mut item = shape.clone();
                    set(&mut item, &["number"], json!(b.number));
                    set(
                        &mut item,
                        &["job_running_status"],
                        json!(if b.state.finished() {
                            "Finished"
                        } else {
                            "Running"
                        }),
                    );
                    set(&mut item, &["status"], json!(b.state.record_status()));
                    item
                })
                .collect();
            ok(page(route, wire, reply, records))
        }
        "upload_keystore" => {
            let Some((name, data)) = wire.part_data("file") else {
                return Some(error(
                    400,
                    "CB.00060212",
                    "No file was supplied for upload.",
                ));
            };
            let id = state.id(0x4b);
            state.keystores.push(crate::state::Keystore {
                id: id.clone(),
                name: name.unwrap_or_else(|| "keystore".to_owned()),
                data,
            });
            set(&mut reply, &["result", "keystore_id"], json!(id));
            ok(reply)
        }
        "list_keystore" => {
            let items: Vec<Value> = state
                .keystores
                .iter()
                .map(|k| json!({ "id": k.id, "keystore_name": k.name }))
                .collect();
            set(&mut reply, &["result"], Value::Array(items));
            ok(reply)
        }
        "download_keystore_by_name" => {
            let id = wire.query_text("id").unwrap_or_default();
            let name = wire.query_text("name").unwrap_or_default();
            match state
                .keystores
                .iter()
                .find(|k| k.id == id || k.name == name)
            {
                Some(k) => Some(Answer::bytes(200, k.data.clone())),
                None => Some(error(400, "CB.00060203", &format!("No keystore `{id}`."))),
            }
        }
        "delete_keystore" => {
            let id = path("keystore_id");
            state.keystores.retain(|k| k.id != id);
            None
        }
        "create_template" => {
            let uuid = state.id(0x7e);
            state.templates.push((uuid.clone(), body));
            set(&mut reply, &["result", "uuid"], json!(uuid));
            ok(reply)
        }
        "list_custom_template" => {
            let shape = item_template(&reply, &["result", "items"]);
            let items = state
                .templates
                .iter()
                .map(|(uuid, t)| {
                    let mut item = shape.clone();
                    set(&mut item, &["uuid"], json!(uuid));
                    if let Some(name) = text(t, "name") {
                        set(&mut item, &["name"], json!(name));
                    }
                    item
                })
                .collect();
            ok(page(route, wire, reply, items))
        }
        "delete_template" => {
            let uuid = path("uuid");
            state.templates.retain(|(u, _)| *u != uuid);
            None
        }
        "create_job_group" => {
            let id = state.id(0x6a);
            let mut group = item_template(&reply, &["result"]);
            set(&mut group, &["id"], json!(id));
            set(
                &mut group,
                &["name"],
                json!(text(&body, "name").unwrap_or_default()),
            );
            set(
                &mut group,
                &["parent_id"],
                json!(text(&body, "parent_id").unwrap_or_default()),
            );
            set(&mut group, &["project_id"], json!(path("project_id")));
            state.groups.push((id, path("project_id"), group.clone()));
            set(&mut reply, &["result"], json!([group]));
            ok(reply)
        }
        "list_group_tree" => {
            let project = path("project_id");
            let groups: Vec<Value> = state
                .groups
                .iter()
                .filter(|(_, p, _)| *p == project)
                .map(|(_, _, g)| {
                    let mut g = g.clone();
                    set(&mut g, &["children"], Value::Null);
                    g
                })
                .collect();
            set(&mut reply, &["result"], Value::Array(groups));
            ok(reply)
        }
        "delete_group" => {
            let id = wire.query_text("group_id").unwrap_or_default();
            state.groups.retain(|(g, _, _)| *g != id);
            None
        }
        "update_new_notice_new" => {
            let id = path("job_id");
            let Some(job) = state.job(&id) else {
                return Some(no_job(&id));
            };
            job.notice = Some(body);
            None
        }
        "show_job_notice_config_info" => {
            let id = path("job_id");
            let Some(job) = state.job(&id) else {
                return Some(no_job(&id));
            };
            let notice = job.notice.clone()?;
            // The stored setting replaces the example's entry of its notice type.
            if let (Some(kind), Some(list)) = (
                text(&notice, "notice_type"),
                reply.get_mut("result").and_then(Value::as_array_mut),
            ) {
                for entry in list.iter_mut() {
                    if text(entry, "notice_type").as_deref() == Some(&kind) {
                        if let Some(map) = notice.get("enable_map") {
                            set(entry, &["enable_map"], map.clone());
                        }
                    }
                }
            }
            ok(reply)
        }
        _ => None,
    }
}

/// Seeds a job directly (a test's setup), bypassing the API.
pub(crate) fn seed_job(inner: &Inner, name: &str) -> String {
    let now = inner.now();
    let project = inner.project_id.clone();
    inner
        .state
        .lock()
        .expect("state")
        .create_job(name, &project, json!({ "job_name": name }), now)
}

/// Sets the script of job `id`'s next build; `false` when there is no such job.
pub(crate) fn script(inner: &Inner, id: &str, script: Script) -> bool {
    let mut state = inner.state.lock().expect("state");
    match state.job(id) {
        Some(job) => {
            job.next = Some(script);
            true
        }
        None => false,
    }
}

/// The route of an operation id, for tests of the table.
pub(crate) fn route_exists(id: &str) -> bool {
    routes::by_id(id).is_some()
}
