//! `parallax watch` against a small HTTP server on 127.0.0.1 that serves
//! fixture feeds and pages (no test touches anything else): new items are
//! ingested once across polls, validators make later polls conditional,
//! robots.txt is obeyed, and the watch survives the server failing, going
//! away and coming back.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use parallax_store::Store;

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    if_none_match: Option<String>,
}

/// What the server answers to a feed request: the feed request's number
/// (from 1) picks it.
type Script = dyn Fn(usize) -> Reply + Send + Sync;

enum Reply {
    Feed { body: String, etag: &'static str },
    Drop,
    Unavailable,
}

struct Server {
    port: u16,
    log: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(port: u16, script: Box<Script>) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log2, stop2) = (log.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut feed_requests = 0;
            while !stop2.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        stream.set_nonblocking(false).unwrap();
                        serve(stream, &log2, &*script, &mut feed_requests);
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
                }
            }
        });
        Self {
            port,
            log,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn requests(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }

    /// Stop listening: the port is closed afterwards.
    fn shut(mut self) -> Vec<Seen> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.take().unwrap().join().unwrap();
        self.requests()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Seen>>, script: &Script, feeds: &mut usize) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let path = first.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut if_none_match = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("if-none-match")
        {
            if_none_match = Some(v.trim().to_owned());
        }
    }
    log.lock().unwrap().push(Seen {
        path: path.clone(),
        if_none_match: if_none_match.clone(),
    });
    let mut out = stream;
    let respond = |out: &mut TcpStream, status: &str, headers: &str, body: &str| {
        let _ = write!(
            out,
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
            body.len()
        );
    };
    match path.as_str() {
        "/robots.txt" => respond(
            &mut out,
            "200 OK",
            "Content-Type: text/plain\r\n",
            "User-agent: *\nDisallow: /private/\n",
        ),
        "/feed.xml" => {
            *feeds += 1;
            match script(*feeds) {
                Reply::Feed { body, etag } => {
                    if if_none_match.as_deref() == Some(etag) {
                        respond(
                            &mut out,
                            "304 Not Modified",
                            &format!("ETag: {etag}\r\n"),
                            "",
                        );
                    } else {
                        respond(
                            &mut out,
                            "200 OK",
                            &format!("Content-Type: application/rss+xml\r\nETag: {etag}\r\n"),
                            &body,
                        );
                    }
                }
                Reply::Drop => drop(out),
                Reply::Unavailable => respond(
                    &mut out,
                    "503 Service Unavailable",
                    "Retry-After: 0\r\n",
                    "",
                ),
            }
        }
        "/pages/b.html" => respond(
            &mut out,
            "200 OK",
            "Content-Type: text/html; charset=utf-8\r\n",
            PAGE_B,
        ),
        _ => respond(&mut out, "404 Not Found", "", ""),
    }
}

const PAGE_B: &str = r#"<html><head><title>Harbour reopens | Coast News</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>Harbour reopens</h1>
<p>The harbour reopened to ships on Friday after three weeks of dredging work that cost the town more than it had planned.</p>
<p>Fishermen said the delay had cost them most of the autumn season, and asked the council for help with their losses this winter.</p>
<p>The council will vote on a relief fund next month, the mayor told reporters at the quay on Friday afternoon.</p>
</article><footer>Copyright Coast News</footer></body></html>"#;

fn item(id: &str, path: &str, title: &str, text: &str, full: bool) -> String {
    let body = if full {
        format!("<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded>")
    } else {
        format!("<description>{text}</description>")
    };
    format!("<item><guid>{id}</guid><title>{title}</title><link>{{BASE}}{path}</link>{body}</item>")
}

fn feed(base: &str, items: &[String]) -> String {
    let body: String = items.iter().rev().cloned().collect();
    format!(
        r#"<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Coast News</title><link>{base}/</link>{body}</channel></rss>"#
    )
    .replace("{BASE}", base)
}

fn long(text: &str) -> String {
    std::iter::repeat_n(text, 30).collect::<Vec<_>>().join(" ")
}

fn items(upto: usize) -> Vec<String> {
    let all = [
        item(
            "a",
            "/news/a",
            "Storm closes road",
            &long("The coast road closed in the storm."),
            true,
        ),
        item(
            "b",
            "/pages/b.html",
            "Harbour reopens",
            "Harbour open again.",
            false,
        ),
        item(
            "c",
            "/private/c.html",
            "Council meets",
            "The council met on Monday about the budget.",
            false,
        ),
        item(
            "d",
            "/news/d",
            "School wins prize",
            &long("The village school won a national prize."),
            true,
        ),
        item(
            "e",
            "/news/e",
            "Ferry delayed",
            &long("The morning ferry was delayed by fog."),
            true,
        ),
    ];
    all[..upto].to_vec()
}

fn watch(db: &Path, url: &str, polls: u32) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_parallax"))
        .args(["watch", "--db"])
        .arg(db)
        .args(["--interval", "0", "--delay-ms", "0", "--backoff-ms", "0"])
        .args(["--timeout", "10", "--polls", &polls.to_string(), url])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn stored(db: &Path) -> Vec<String> {
    let store = Store::open(db).unwrap();
    let mut ids: Vec<String> = store
        .articles()
        .unwrap()
        .into_iter()
        .map(|a| a.article.id.0)
        .collect();
    ids.sort();
    ids
}

#[test]
fn watch_ingests_new_items_once_and_survives_the_server_going_away() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("watch.db");

    // Run 1, one process, five polls: the feed, then 304, a dropped
    // connection, a 503, then a feed with one more item.
    let base = Arc::new(Mutex::new(String::new()));
    let b2 = base.clone();
    let server = Server::start(
        0,
        Box::new(move |n| {
            let base = b2.lock().unwrap().clone();
            match n {
                1 | 2 => Reply::Feed {
                    body: feed(&base, &items(3)),
                    etag: "\"v1\"",
                },
                3 => Reply::Drop,
                4 => Reply::Unavailable,
                _ => Reply::Feed {
                    body: feed(&base, &items(4)),
                    etag: "\"v2\"",
                },
            }
        }),
    );
    *base.lock().unwrap() = server.url("");
    let port = server.port;
    let feed_url = server.url("/feed.xml");
    let (ok, log) = watch(&db, &feed_url, 5);
    assert!(ok, "{log}");
    let requests = server.shut();
    let ids = stored(&db);
    let id = |p: &str| format!("http://127.0.0.1:{port}{p}");
    assert_eq!(
        ids,
        [
            id("/news/a"),
            id("/news/d"),
            id("/pages/b.html"),
            id("/private/c.html")
        ],
        "{log}"
    );
    // The second poll was conditional and answered 304.
    let feeds: Vec<&Seen> = requests.iter().filter(|r| r.path == "/feed.xml").collect();
    assert_eq!(feeds.len(), 5, "{requests:?}");
    assert_eq!(feeds[1].if_none_match.as_deref(), Some("\"v1\""));
    assert!(
        log.contains("poll 2:") && log.contains("not modified"),
        "{log}"
    );
    // robots.txt was read once, and its Disallow obeyed.
    assert_eq!(
        requests.iter().filter(|r| r.path == "/robots.txt").count(),
        1
    );
    assert!(!requests.iter().any(|r| r.path.starts_with("/private/")));
    // The page of the summary-only item was fetched and extracted.
    let store = Store::open(&db).unwrap();
    let articles = store.articles().unwrap();
    let b = articles
        .iter()
        .find(|a| a.article.id.0 == id("/pages/b.html"))
        .unwrap();
    assert!(b.article.body.contains("relief fund"), "{}", b.article.body);
    let c = articles
        .iter()
        .find(|a| a.article.id.0 == id("/private/c.html"))
        .unwrap();
    assert_eq!(
        c.article.body,
        "The council met on Monday about the budget."
    );
    drop(store);

    // Run 2: nothing listens on the port. The watch reports and goes on.
    let (ok, log) = watch(&db, &feed_url, 2);
    assert!(ok, "{log}");
    assert!(log.contains("poll 1:") && log.contains("poll 2:"), "{log}");
    assert_eq!(stored(&db).len(), 4);

    // Run 3: the server is back on the same port with one more item; the
    // four stored ones are not ingested again.
    let b3 = base.clone();
    let server = Server::start(
        port,
        Box::new(move |_| Reply::Feed {
            body: feed(&b3.lock().unwrap(), &items(5)),
            etag: "\"v3\"",
        }),
    );
    let (ok, log) = watch(&db, &feed_url, 2);
    let requests = server.shut();
    assert!(ok, "{log}");
    let ids = stored(&db);
    assert_eq!(ids.len(), 5, "{log}");
    assert!(ids.contains(&id("/news/e")));
    // The restarted watch remembered the validators of run 1.
    let first = requests.iter().find(|r| r.path == "/feed.xml").unwrap();
    assert_eq!(first.if_none_match.as_deref(), Some("\"v2\""));
    assert!(log.contains("1 new"), "{log}");
}
