//! Faults a test asks for: each rule applies to the next matching requests, then expires.

use std::time::Duration;

/// A failure the fake produces instead of (or on top of) its normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 429 with `Retry-After` (seconds) and the gateway's throttling body.
    TooManyRequests {
        /// The `Retry-After` value in seconds.
        retry_after: u64,
    },
    /// A server error with this status (500, 502, 503, 504, ...).
    ServerError(u16),
    /// The normal answer, after a delay.
    Delay(Duration),
    /// The connection is closed without an answer.
    DropConnection,
    /// The normal answer's headers announce its full length but only half the body is sent.
    TruncatedBody,
    /// HTTP 200 whose body is a service error (`error_code` / `error_msg`).
    ErrorInOk {
        /// The `error_msg` sent.
        message: String,
    },
    /// A JSON error body with HTTP 200 where the operation returns a file.
    JsonInsteadOfStream,
}

/// A fault for the next `times` requests of one operation (or of any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    pub(crate) fault: Fault,
    pub(crate) operation: Option<String>,
    pub(crate) remaining: Option<u32>,
}

impl FaultRule {
    /// `fault` for every request until cleared.
    pub fn new(fault: Fault) -> Self {
        FaultRule {
            fault,
            operation: None,
            remaining: None,
        }
    }

    /// Only requests of operation `id` (such as `execute_job`).
    pub fn on(mut self, id: impl Into<String>) -> Self {
        self.operation = Some(id.into());
        self
    }

    /// Only the next `times` matching requests.
    pub fn times(mut self, times: u32) -> Self {
        self.remaining = Some(times);
        self
    }
}

impl From<Fault> for FaultRule {
    fn from(fault: Fault) -> Self {
        FaultRule::new(fault)
    }
}

/// The fault for a request of `operation` (`None`: no route), consuming one use of its rule.
pub(crate) fn take(rules: &mut Vec<FaultRule>, operation: Option<&str>) -> Option<Fault> {
    let index = rules.iter().position(|r| {
        r.remaining != Some(0)
            && r.operation
                .as_deref()
                .is_none_or(|id| Some(id) == operation)
    })?;
    let rule = &mut rules[index];
    let fault = rule.fault.clone();
    if let Some(n) = &mut rule.remaining {
        *n -= 1;
        if *n == 0 {
            rules.remove(index);
        }
    }
    Some(fault)
}

/// A rule from the control endpoint's JSON (`{"fault": "429", "retry_after": 2, ...}`).
pub(crate) fn from_json(value: &serde_json::Value) -> Result<FaultRule, String> {
    let kind = value
        .get("fault")
        .and_then(|f| f.as_str())
        .ok_or("`fault` is required: one of 429, 5xx, delay, drop, truncate, error_in_200, json_for_stream")?;
    let number = |name: &str, default: u64| {
        value.get(name).map_or(Ok(default), |v| {
            v.as_u64().ok_or(format!("`{name}` must be a number"))
        })
    };
    let fault = match kind {
        "429" => Fault::TooManyRequests {
            retry_after: number("retry_after", 1)?,
        },
        "delay" => Fault::Delay(Duration::from_millis(number("millis", 100)?)),
        "drop" => Fault::DropConnection,
        "truncate" => Fault::TruncatedBody,
        "error_in_200" => Fault::ErrorInOk {
            message: value
                .get("message")
                .and_then(|m| m.as_str())
                .unwrap_or("Internal service error.")
                .to_owned(),
        },
        "json_for_stream" => Fault::JsonInsteadOfStream,
        other => match other.parse::<u16>() {
            Ok(status) if (500..600).contains(&status) => Fault::ServerError(status),
            _ => return Err(format!("unknown fault `{other}`")),
        },
    };
    let mut rule = FaultRule::new(fault);
    if let Some(op) = value.get("operation").and_then(|o| o.as_str()) {
        rule = rule.on(op);
    }
    if let Some(times) = value.get("times") {
        let times = times.as_u64().ok_or("`times` must be a number")?;
        rule = rule.times(u32::try_from(times).map_err(|_| "`times` is too large")?);
    }
    Ok(rule)
}
