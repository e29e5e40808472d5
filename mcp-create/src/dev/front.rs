//! The stable front: JSON-RPC messages between the client (stdin/stdout, or HTTP: [`ClientIo`])
//! and the current child.
//!
//! Ids: the client's requests go to a child with their own ids (only one child takes new calls at
//! a time, and the front's own requests go to a child before it is swapped in). A child's requests
//! to the client (sampling, elicitation) get a fresh numeric id, mapped back when the client
//! answers, so two children never collide. During a reload, the client's messages wait; a call
//! still running on the old child is answered by it before it is stopped.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::time::Instant;

use super::build;
use super::child::{self, KINDS, Lists, Ready};
use crate::connect::{GRACE, Launch, ServerProcess};
use crate::output;

/// How long the sources must be quiet before a reload starts.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// What the front serves and how to rebuild it.
pub struct Target {
    /// The server's name, for messages.
    pub name: String,
    /// The project folder: watched, and where the build runs.
    pub dir: PathBuf,
    pub launch: Launch,
    pub build: Option<&'static [&'static str]>,
    /// The log that `mcp-create logs NAME` shows.
    pub log: PathBuf,
    /// How long a call waits for a reload before it is answered with an error.
    pub wait: Duration,
}

/// The client side of the front: its messages in, the front's lines out.
pub struct ClientIo {
    pub input: UnboundedReceiver<Value>,
    pub output: UnboundedSender<String>,
}

/// The client on stdin/stdout (until it closes stdin).
pub fn stdio() -> Result<ClientIo, super::DevError> {
    let (output, to_client) = unbounded_channel::<String>();
    tokio::spawn(write_lines(stdout()?, to_client));
    Ok(ClientIo {
        input: read_client(),
        output,
    })
}

/// What the tasks tell the front.
enum Event {
    /// A line a child wrote (generation, message).
    Child(u64, Value),
    /// A child's stdout closed.
    Closed(u64),
    /// A reload ended.
    Reloaded(Box<Result<Ready, String>>),
}

/// A child serving, or finishing its calls before it stops.
struct Child {
    stdin: UnboundedSender<String>,
    process: ServerProcess,
    lists: Lists,
    /// The client's requests it has not answered, by id.
    inflight: Vec<String>,
}

struct Front {
    target: Target,
    client: UnboundedSender<String>,
    events: UnboundedSender<Event>,
    children: HashMap<u64, Child>,
    current: u64,
    generation: u64,
    /// The client's `initialize` params, in the negotiated protocol version.
    params: Value,
    /// The front's answer to it, which a client that connects again gets too.
    init: Value,
    reloading: bool,
    again: bool,
    held: VecDeque<(Value, Instant)>,
    /// Which child runs each of the client's requests.
    pending: HashMap<String, u64>,
    /// A child's request to the client: the front's id -> (child, its id).
    asked: HashMap<u64, (u64, Value)>,
    next_asked: u64,
}

/// Serves the client until its input ends.
pub async fn serve(
    target: Target,
    mut ticks: UnboundedReceiver<()>,
    io: ClientIo,
) -> Result<(), super::DevError> {
    let ClientIo {
        mut input,
        output: client,
    } = io;
    // The client's first request is `initialize`: the first child answers it.
    let first = loop {
        let Some(message) = input.recv().await else {
            return Ok(());
        };
        if message["method"] == "initialize" {
            break message;
        }
        if message.get("id").is_some() && message.get("method").is_some() {
            let _ = client.send(error(&message["id"], -32600, "initialize first").to_string());
        }
    };
    let params = first["params"].clone();
    let ready = match child::bring_up(&target.launch, &params).await {
        Ok(ready) => ready,
        Err(reason) => {
            let text = format!("{}: {reason}", target.name);
            let _ = client.send(error(&first["id"], -32603, &text).to_string());
            log(&target.log, &text);
            tokio::time::sleep(Duration::from_millis(100)).await;
            return Err(super::DevError::FirstStart(reason));
        }
    };
    let mut init = ready.init.clone();
    for (kind, _) in KINDS {
        if let Some(caps) = init["capabilities"]
            .get_mut(kind)
            .and_then(Value::as_object_mut)
        {
            caps.insert("listChanged".into(), Value::Bool(true));
        }
    }
    let mut params = params;
    params["protocolVersion"] = init["protocolVersion"].clone();
    let _ = client.send(json!({"jsonrpc": "2.0", "id": first["id"], "result": init}).to_string());
    output::note(format!(
        "{}: serving `{}`; watching {}",
        target.name,
        target.launch.display(),
        target.dir.display()
    ));
    let (events, mut received) = unbounded_channel();
    let mut front = Front {
        target,
        client,
        events,
        children: HashMap::new(),
        current: 0,
        generation: 0,
        params,
        init,
        reloading: false,
        again: false,
        held: VecDeque::new(),
        pending: HashMap::new(),
        asked: HashMap::new(),
        next_asked: 1,
    };
    front.attach(ready);
    let mut quiet_until: Option<Instant> = None;
    let mut clock = tokio::time::interval(Duration::from_millis(200));
    loop {
        tokio::select! {
            message = input.recv() => match message {
                Some(message) => front.on_client(message),
                None => break,
            },
            Some(()) = ticks.recv() => quiet_until = Some(Instant::now() + DEBOUNCE),
            _ = async { tokio::time::sleep_until(quiet_until.unwrap_or_else(Instant::now)).await },
                if quiet_until.is_some() => {
                quiet_until = None;
                front.reload();
            }
            Some(event) = received.recv() => front.on(event),
            _ = clock.tick() => front.expire(),
        }
    }
    for (_, mut child) in front.children.drain() {
        drop(child.stdin);
        child.process.stop(GRACE).await;
    }
    Ok(())
}

impl Front {
    /// Swaps `ready` in as the current child.
    fn attach(&mut self, ready: Ready) {
        self.generation += 1;
        let generation = self.generation;
        let Ready {
            process,
            stdin,
            mut lines,
            lists,
            ..
        } = ready;
        let (to_child, from_front) = unbounded_channel();
        tokio::spawn(write_lines(stdin, from_front));
        let events = self.events.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Ok(message) = serde_json::from_str::<Value>(&line) {
                    let _ = events.send(Event::Child(generation, message));
                }
            }
            let _ = events.send(Event::Closed(generation));
        });
        let old = self.children.get(&self.current).map(|c| c.lists.clone());
        self.children.insert(
            generation,
            Child {
                stdin: to_child,
                process,
                lists,
                inflight: Vec::new(),
            },
        );
        let previous = std::mem::replace(&mut self.current, generation);
        self.retire_if_idle(previous);
        if let Some(old) = old {
            let new = &self.children[&generation].lists;
            for (kind, notification) in KINDS {
                if old.get(kind) != new.get(kind) {
                    self.to_client(&json!({"jsonrpc": "2.0", "method": notification}));
                }
            }
        }
    }

    /// Stops an old child once it answered every call it took.
    fn retire_if_idle(&mut self, generation: u64) {
        if generation == self.current
            || !self
                .children
                .get(&generation)
                .is_some_and(|c| c.inflight.is_empty())
        {
            return;
        }
        if let Some(mut child) = self.children.remove(&generation) {
            drop(child.stdin);
            tokio::spawn(async move { child.process.stop(GRACE).await });
        }
    }

    fn on_client(&mut self, mut message: Value) {
        let is_request = message.get("method").is_some();
        if !is_request {
            // An answer to a child's request: back to that child, with its own id.
            let asked = message["id"].as_u64().and_then(|id| self.asked.remove(&id));
            if let Some((generation, id)) = asked
                && let Some(child) = self.children.get(&generation)
            {
                message["id"] = id;
                let _ = child.stdin.send(message.to_string());
            }
            return;
        }
        if message["method"] == "notifications/initialized" {
            return; // every child had its own
        }
        if message["method"] == "initialize" {
            // A client connecting again (HTTP): the children keep their handshake.
            let answer = json!({"jsonrpc": "2.0", "id": message["id"], "result": self.init});
            self.to_client(&answer);
            return;
        }
        if self.reloading {
            self.held.push_back((message, Instant::now()));
            return;
        }
        self.forward(message);
    }

    /// Sends a client message to the current child.
    fn forward(&mut self, message: Value) {
        let Some(child) = self.children.get_mut(&self.current) else {
            if message.get("id").is_some() {
                let text = format!(
                    "{}: the server is not running (it exited); save a source file to restart it",
                    self.target.name
                );
                self.to_client(&error(&message["id"], -32603, &text));
            }
            return;
        };
        if let Some(id) = message.get("id") {
            let key = id.to_string();
            child.inflight.push(key.clone());
            self.pending.insert(key, self.current);
        }
        let _ = child.stdin.send(message.to_string());
    }

    fn on(&mut self, event: Event) {
        match event {
            Event::Child(generation, message) => self.on_child(generation, message),
            Event::Closed(generation) => self.closed(generation),
            Event::Reloaded(outcome) => self.reloaded(*outcome),
        }
    }

    fn on_child(&mut self, generation: u64, mut message: Value) {
        let has_id = message.get("id").is_some();
        match (message.get("method").is_some(), has_id) {
            // An answer to the client.
            (false, true) => {
                let key = message["id"].to_string();
                if self.pending.remove(&key).is_some()
                    && let Some(child) = self.children.get_mut(&generation)
                {
                    child.inflight.retain(|k| *k != key);
                }
                self.to_client(&message);
                self.retire_if_idle(generation);
            }
            // A request to the client.
            (true, true) => {
                let id = self.next_asked;
                self.next_asked += 1;
                self.asked.insert(id, (generation, message["id"].take()));
                message["id"] = json!(id);
                self.to_client(&message);
            }
            // A notification: list changes come from the front's comparison.
            _ => {
                let method = message["method"].as_str().unwrap_or_default();
                if !(generation != self.current && method.ends_with("/list_changed")) {
                    self.to_client(&message);
                }
            }
        }
    }

    /// A child's stdout closed: its unanswered calls get an error.
    fn closed(&mut self, generation: u64) {
        let Some(child) = self.children.remove(&generation) else {
            return;
        };
        let text = format!(
            "{}: the server exited before answering; save a source file to restart it",
            self.target.name
        );
        for key in &child.inflight {
            self.pending.remove(key);
            if let Ok(id) = serde_json::from_str::<Value>(key) {
                self.to_client(&error(&id, -32603, &text));
            }
        }
        let mut process = child.process;
        tokio::spawn(async move { process.stop(GRACE).await });
        if generation == self.current {
            let stderr = "the server exited; save a source file to restart it".to_string();
            self.fail(&stderr);
        }
    }

    /// Starts a rebuild and a new child, unless one is under way (then another follows it).
    fn reload(&mut self) {
        if self.reloading {
            self.again = true;
            return;
        }
        self.reloading = true;
        output::note(format!("{}: change seen, reloading", self.target.name));
        let build = self.target.build;
        let dir = self.target.dir.clone();
        let launch = self.target.launch.clone();
        let params = self.params.clone();
        let events = self.events.clone();
        tokio::spawn(async move {
            let outcome = match build {
                Some(words) => build::run(words, &dir).await,
                None => Ok(()),
            };
            let outcome = match outcome {
                Ok(()) => child::bring_up(&launch, &params).await,
                Err(text) => Err(text),
            };
            let _ = events.send(Event::Reloaded(Box::new(outcome)));
        });
    }

    fn reloaded(&mut self, outcome: Result<Ready, String>) {
        self.reloading = false;
        match outcome {
            Ok(ready) => {
                self.attach(ready);
                output::note(format!("{}: reloaded", self.target.name));
                log(&self.target.log, "reloaded");
            }
            Err(reason) => self.fail(&reason),
        }
        while let Some((message, _)) = self.held.pop_front() {
            self.forward(message);
        }
        if std::mem::take(&mut self.again) {
            self.reload();
        }
    }

    /// A reload failed: the old child (if any) keeps serving; the user hears why everywhere.
    fn fail(&mut self, reason: &str) {
        let text = format!(
            "{}: reload failed, the previous version keeps serving: {reason}",
            self.target.name
        );
        output::note(&text);
        log(&self.target.log, &text);
        self.to_client(&json!({
            "jsonrpc": "2.0",
            "method": "notifications/message",
            "params": {"level": "error", "logger": "mcp-create dev", "data": text},
        }));
    }

    /// Answers the calls that waited for a reload longer than allowed.
    fn expire(&mut self) {
        let wait = self.target.wait;
        while self
            .held
            .front()
            .is_some_and(|(_, at)| at.elapsed() >= wait)
        {
            let (message, _) = self.held.pop_front().expect("checked");
            if message.get("id").is_some() {
                let text = format!(
                    "{}: the server is being rebuilt and was not ready within {} s; the call was \
                     not run, try again (see `mcp-create logs {}`)",
                    self.target.name,
                    wait.as_secs(),
                    self.target.name
                );
                self.to_client(&error(&message["id"], -32603, &text));
            }
        }
    }

    fn to_client(&self, message: &Value) {
        let _ = self.client.send(message.to_string());
    }
}

/// A JSON-RPC error answer.
fn error(id: &Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// Appends a timestamped line to the server's log.
fn log(path: &Path, text: &str) {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "[dev {stamp}] {text}");
    }
}

/// Standard output as a file of its own: `main` holds the lock of `std::io::stdout` while a
/// command runs, so the front writes to a duplicate of the descriptor.
fn stdout() -> Result<tokio::fs::File, super::DevError> {
    use std::os::fd::AsFd;
    let fd = std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .map_err(|e| super::DevError::Io(format!("cannot write to standard output: {e}")))?;
    Ok(tokio::fs::File::from_std(std::fs::File::from(fd)))
}

/// The client's messages, one JSON value per line (lines that are not JSON are dropped).
fn read_client() -> UnboundedReceiver<Value> {
    let (sender, receiver) = unbounded_channel();
    tokio::spawn(async move {
        let mut lines = BufReader::new(tokio::io::stdin()).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            match serde_json::from_str::<Value>(&line) {
                Ok(message) => {
                    if sender.send(message).is_err() {
                        break;
                    }
                }
                Err(e) => output::note(format!("dev: a line from the client is not JSON: {e}")),
            }
        }
    });
    receiver
}

/// Writes each line received to `sink`, flushed; ends (closing `sink`) when the senders are gone.
async fn write_lines(
    mut sink: impl tokio::io::AsyncWrite + Unpin,
    mut lines: UnboundedReceiver<String>,
) {
    while let Some(line) = lines.recv().await {
        if sink
            .write_all(format!("{line}\n").as_bytes())
            .await
            .is_err()
            || sink.flush().await.is_err()
        {
            break;
        }
    }
}
