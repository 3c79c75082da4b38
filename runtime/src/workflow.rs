//! The build-run workflow: start a build, follow its log, wait for its verdict, stop it.
//!
//! The service-specific part (which operations start, poll, stop and log a build) is the
//! [`BuildApi`] a generated client implements from its spec's `x-build-workflow` block; this
//! module holds the flow itself: [`RunBuild`] (the start request), [`BuildHandle`] (a started
//! build) and [`BuildOutcome`] (its verdict).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::waiter::{WaitError, Waiter};
use crate::{BuildNumber, CallOptions, Error, LogFollow};

/// A boxed future of the workflow's service calls.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// A build state: whether the build is over, and whether it passed. Implemented by the
/// generated build status enum from its `x-build-state` spec extension.
pub trait BuildState {
    /// The build is over (passed, failed or aborted): its state no longer changes.
    fn is_terminal(&self) -> bool;
    /// The build is over and passed.
    fn is_success(&self) -> bool;
}

/// What starting a build asks for, besides the job: custom parameter values, and the branch,
/// tag or commit to build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StartBuild {
    /// The build job.
    pub job_id: String,
    /// Custom parameter values, in the order given (a name given twice is sent twice).
    pub parameters: Vec<(String, String)>,
    /// The branch to build.
    pub branch: Option<String>,
    /// The tag to build.
    pub tag: Option<String>,
    /// The commit to build.
    pub commit: Option<String>,
}

/// Sets the value at `path` (property names) inside the JSON `body`, creating the objects on
/// the way and replacing whatever is not an object: generated code builds the start request's
/// body with it from the wire paths its spec names.
pub fn set_json_path(body: &mut serde_json::Value, path: &[&str], value: serde_json::Value) {
    let mut place = body;
    for key in path {
        if !place.is_object() {
            *place = serde_json::Value::Object(serde_json::Map::new());
        }
        place = match place {
            serde_json::Value::Object(map) => map.entry(*key).or_insert(serde_json::Value::Null),
            _ => return,
        };
    }
    *place = value;
}

/// The operations behind the workflow, implemented by a generated client.
pub trait BuildApi: Clone + Send + Sync + 'static {
    /// A build record, as the record operation returns it.
    type Record: Clone + fmt::Debug + Send + Sync + 'static;
    /// The build status of a record.
    type Status: BuildState + Clone + fmt::Debug + Send + Sync + 'static;
    /// The reply of the start operation.
    type Started: Clone + fmt::Debug + Send + Sync + 'static;

    /// Sends the start operation once with `options`, and reads the new build's number from
    /// the reply.
    fn start_build(
        &self,
        build: &StartBuild,
        options: CallOptions,
    ) -> BoxFuture<Result<(Self::Started, BuildNumber), Error>>;

    /// A wait for the build's final record.
    fn wait_build(&self, job_id: &str, build_no: BuildNumber) -> Waiter<Self::Record>;

    /// Asks the service to stop the build.
    fn stop_build(&self, job_id: &str, build_no: BuildNumber) -> BoxFuture<Result<(), Error>>;

    /// The build's log as a stream that ends when the build has ended.
    fn follow_build_log(&self, job_id: &str, build_no: BuildNumber) -> Result<LogFollow, Error>;

    /// The status of a record; `None` when the record has none.
    fn record_status(record: &Self::Record) -> Option<Self::Status>;

    /// How long the build of a record took, when the record says.
    fn record_duration(record: &Self::Record) -> Option<Duration>;
}

/// A build about to be started: set its inputs, then [`start`](Self::start) it.
#[derive(Debug, Clone)]
#[must_use = "nothing is started until `start` is awaited"]
pub struct RunBuild<A> {
    api: A,
    build: StartBuild,
    retry_start: bool,
}

impl<A: BuildApi> RunBuild<A> {
    /// A build of `job_id` with the job's default inputs.
    pub fn new(api: A, job_id: impl Into<String>) -> Self {
        RunBuild {
            api,
            build: StartBuild {
                job_id: job_id.into(),
                ..StartBuild::default()
            },
            retry_start: false,
        }
    }

    /// Sets a custom parameter of the job for this build.
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.build.parameters.push((name.into(), value.into()));
        self
    }

    /// Builds this branch.
    pub fn branch(mut self, branch: impl Into<String>) -> Self {
        self.build.branch = Some(branch.into());
        self
    }

    /// Builds this tag.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.build.tag = Some(tag.into());
        self
    }

    /// Builds this commit.
    pub fn commit(mut self, commit: impl Into<String>) -> Self {
        self.build.commit = Some(commit.into());
        self
    }

    /// Lets the client retry the start request after a retryable failure (default: no).
    ///
    /// Starting is not idempotent: when a request reached the service but its answer was lost,
    /// a retry queues a second build. Turn this on only when a duplicate build is harmless.
    pub fn retry_start(mut self, retry: bool) -> Self {
        self.retry_start = retry;
        self
    }

    /// What will be sent.
    pub fn inputs(&self) -> &StartBuild {
        &self.build
    }

    /// Starts the build: one request (more only with [`retry_start`](Self::retry_start)).
    pub async fn start(self) -> Result<BuildHandle<A>, Error> {
        let options = if self.retry_start {
            CallOptions::new().retry_non_idempotent(true)
        } else {
            CallOptions::new().max_attempts(1)
        };
        let (started, build_no) = self.api.start_build(&self.build, options).await?;
        Ok(BuildHandle {
            api: self.api,
            job_id: self.build.job_id,
            build_no,
            started,
        })
    }
}

/// A started build.
#[derive(Debug, Clone)]
pub struct BuildHandle<A: BuildApi> {
    api: A,
    job_id: String,
    build_no: BuildNumber,
    started: A::Started,
}

impl<A: BuildApi> BuildHandle<A> {
    /// A handle on a build that is already running (started elsewhere).
    pub fn attach(
        api: A,
        job_id: impl Into<String>,
        build_no: BuildNumber,
        started: A::Started,
    ) -> Self {
        BuildHandle {
            api,
            job_id: job_id.into(),
            build_no,
            started,
        }
    }

    /// The job.
    pub fn job_id(&self) -> &str {
        &self.job_id
    }

    /// The build's number.
    pub fn build_no(&self) -> BuildNumber {
        self.build_no
    }

    /// The start operation's reply.
    pub fn started(&self) -> &A::Started {
        &self.started
    }

    /// The build's log as a stream of chunks that ends when the build has ended (see
    /// [`LogFollow`] for its idle timeout and deadline).
    pub fn follow_log(&self) -> Result<LogFollow, Error> {
        self.api.follow_build_log(&self.job_id, self.build_no)
    }

    /// The wait for the verdict, to adjust its interval and deadline before awaiting it;
    /// [`wait`](Self::wait) awaits it with the defaults.
    pub fn waiter(&self) -> Waiter<A::Record> {
        self.api.wait_build(&self.job_id, self.build_no)
    }

    /// Waits until the build is over and returns its verdict.
    pub async fn wait(&self) -> Result<BuildOutcome<A::Record, A::Status>, WaitError<A::Record>> {
        let record = self.waiter().await?;
        Ok(BuildOutcome::from_record::<A>(record))
    }

    /// Asks the service to stop the build: one request, not retried.
    pub async fn stop(&self) -> Result<(), Error> {
        self.api.stop_build(&self.job_id, self.build_no).await
    }
}

/// The verdict of a finished build.
#[derive(Debug, Clone)]
pub struct BuildOutcome<R, S> {
    /// The final status; `None` when the final record carries none.
    pub status: Option<S>,
    /// How long the build ran, when the record says.
    pub duration: Option<Duration>,
    /// The final record.
    pub record: R,
}

impl<R, S: BuildState> BuildOutcome<R, S> {
    /// The outcome a final record tells.
    pub fn from_record<A: BuildApi<Record = R, Status = S>>(record: R) -> Self {
        BuildOutcome {
            status: A::record_status(&record),
            duration: A::record_duration(&record),
            record,
        }
    }

    /// The build passed.
    pub fn is_success(&self) -> bool {
        self.status.as_ref().is_some_and(BuildState::is_success)
    }
}
