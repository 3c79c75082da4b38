//! What the fake remembers between requests: jobs and their builds, keystores, templates,
//! job groups and notice settings, and the scripts a test set for the next builds.

use std::collections::BTreeMap;

use serde_json::Value;

/// How a build ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildState {
    /// Started, waiting for an executor.
    Queued,
    /// Running its steps.
    Running,
    /// Every step passed.
    Success,
    /// A step failed.
    Failed,
    /// Stopped by a user.
    Aborted,
}

impl BuildState {
    /// Whether the build has ended.
    pub fn finished(self) -> bool {
        matches!(
            self,
            BuildState::Success | BuildState::Failed | BuildState::Aborted
        )
    }

    /// The record status the service reports (`show_job_build_record_detail`), one of the
    /// spec's `BuildStatus` values; that set has no queued state, so a queued build reports
    /// RUNNING.
    pub(crate) fn record_status(self) -> &'static str {
        match self {
            BuildState::Queued | BuildState::Running => "RUNNING",
            BuildState::Success => "SUCCESS",
            BuildState::Failed => "FAILURE",
            BuildState::Aborted => "ABORTED",
        }
    }

    /// The job list's `last_build_status` colour convention.
    pub(crate) fn colour(self) -> &'static str {
        match self {
            BuildState::Queued | BuildState::Running => "building",
            BuildState::Success => "blue",
            BuildState::Failed => "red",
            BuildState::Aborted => "aborted",
        }
    }
}

/// How the next build of a job goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Script {
    /// The number of status or log polls the build takes from start to end (at least 2: one
    /// leaves the queue, each further one runs a step).
    pub polls: u32,
    /// The step (1-based) that fails, if any.
    pub fail_at_step: Option<u32>,
}

impl Default for Script {
    fn default() -> Self {
        Script {
            polls: 4,
            fail_at_step: None,
        }
    }
}

impl Script {
    /// A build that succeeds after the default number of polls.
    pub fn new() -> Self {
        Script::default()
    }

    /// The build takes `polls` polls (status or log reads of the build) from start to end.
    pub fn polls(mut self, polls: u32) -> Self {
        self.polls = polls.max(2);
        self
    }

    /// The build fails at step `step` (1-based).
    pub fn fails_at_step(mut self, step: u32) -> Self {
        self.fail_at_step = Some(step.max(1));
        self
    }

    fn steps(&self) -> u32 {
        self.polls.saturating_sub(1).max(1)
    }
}

/// One build of a job.
#[derive(Debug, Clone)]
pub(crate) struct Build {
    pub number: u32,
    pub record_id: String,
    pub state: BuildState,
    pub script: Script,
    pub step: u32,
    pub log: String,
    pub started_at: u64,
    pub finished_at: Option<u64>,
}

impl Build {
    /// One poll of the build: leaves the queue, or runs its next step.
    pub fn tick(&mut self, now: u64) {
        match self.state {
            BuildState::Queued => {
                self.state = BuildState::Running;
                self.log
                    .push_str(&format!("[INFO] build #{} started\n", self.number));
            }
            BuildState::Running => {
                self.step += 1;
                let steps = self.script.steps();
                if self.script.fail_at_step == Some(self.step) {
                    self.log
                        .push_str(&format!("[ERROR] step {} of {steps} failed\n", self.step));
                    self.finish(BuildState::Failed, now);
                } else {
                    self.log
                        .push_str(&format!("[INFO] step {} of {steps} passed\n", self.step));
                    if self.step >= steps {
                        self.finish(BuildState::Success, now);
                    }
                }
            }
            _ => {}
        }
    }

    pub fn finish(&mut self, state: BuildState, now: u64) {
        let word = match state {
            BuildState::Success => "SUCCESS",
            BuildState::Failed => "FAILURE",
            _ => "ABORTED",
        };
        self.log.push_str(&format!("[INFO] Finished: {word}\n"));
        self.state = state;
        self.finished_at = Some(now);
    }
}

/// A build job.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub id: String,
    pub name: String,
    pub project_id: String,
    pub config: Value,
    pub disabled: bool,
    pub deleted_at: Option<u64>,
    pub created_at: u64,
    pub builds: Vec<Build>,
    pub next: Option<Script>,
    pub notice: Option<Value>,
}

impl Job {
    pub fn build(&self, number: u32) -> Option<&Build> {
        self.builds.iter().find(|b| b.number == number)
    }

    pub fn build_mut(&mut self, number: u32) -> Option<&mut Build> {
        self.builds.iter_mut().find(|b| b.number == number)
    }

    pub fn last(&self) -> Option<&Build> {
        self.builds.last()
    }
}

/// A stored keystore file.
#[derive(Debug, Clone)]
pub(crate) struct Keystore {
    pub id: String,
    pub name: String,
    pub data: Vec<u8>,
}

/// Everything the fake holds.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub jobs: BTreeMap<String, Job>,
    /// Job ids in creation order.
    pub order: Vec<String>,
    pub keystores: Vec<Keystore>,
    pub templates: Vec<(String, Value)>,
    pub groups: Vec<(String, String, Value)>,
    counter: u64,
}

impl State {
    /// A new 32-character id.
    pub fn id(&mut self, kind: u8) -> String {
        self.counter += 1;
        format!("{kind:02x}{:030x}", self.counter)
    }

    /// A new 36-character record id (UUID layout).
    pub fn uuid(&mut self) -> String {
        self.counter += 1;
        let hex = format!("{:032x}", self.counter);
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )
    }

    /// The live (not deleted) job `id`.
    pub fn job(&mut self, id: &str) -> Option<&mut Job> {
        self.jobs.get_mut(id).filter(|j| j.deleted_at.is_none())
    }

    /// The build with record id `record_id`.
    pub fn by_record(&mut self, record_id: &str) -> Option<(&mut Build, String)> {
        self.jobs.values_mut().find_map(|j| {
            let id = j.id.clone();
            j.builds
                .iter_mut()
                .find(|b| b.record_id == record_id)
                .map(|b| (b, id))
        })
    }

    /// Creates a job and returns its id.
    pub fn create_job(&mut self, name: &str, project_id: &str, config: Value, now: u64) -> String {
        let id = self.id(0xdb);
        self.insert_job(id, name, project_id, config, now)
    }

    /// Creates a job with a given id (replacing any job with that id) and returns the id.
    pub fn insert_job(
        &mut self,
        id: String,
        name: &str,
        project_id: &str,
        config: Value,
        now: u64,
    ) -> String {
        self.order.retain(|o| *o != id);
        self.jobs.insert(
            id.clone(),
            Job {
                id: id.clone(),
                name: name.to_owned(),
                project_id: project_id.to_owned(),
                config,
                disabled: false,
                deleted_at: None,
                created_at: now,
                builds: Vec::new(),
                next: None,
                notice: None,
            },
        );
        self.order.push(id.clone());
        id
    }

    /// Starts a build of job `id`; its number, or `None` when there is no such live job.
    pub fn start_build(&mut self, id: &str, now: u64) -> Option<u32> {
        let record_id = self.uuid();
        self.start_build_with_record(id, record_id, now)
    }

    /// Like [`start_build`](Self::start_build), with a given record id.
    pub fn start_build_with_record(
        &mut self,
        id: &str,
        record_id: String,
        now: u64,
    ) -> Option<u32> {
        let job = self.job(id)?;
        let number = job.builds.last().map_or(1, |b| b.number + 1);
        let script = job.next.take().unwrap_or_default();
        job.builds.push(Build {
            number,
            record_id,
            state: BuildState::Queued,
            script,
            step: 0,
            log: format!("[INFO] build #{number} queued\n"),
            started_at: now,
            finished_at: None,
        });
        Some(number)
    }

    /// Runs one poll of every unfinished build.
    pub fn advance_all(&mut self, now: u64) {
        for job in self.jobs.values_mut() {
            for build in &mut job.builds {
                build.tick(now);
            }
        }
    }
}
