// The measuring half of tools/compare-reshape.sh (which puts the fixture of
// benches/sync.rs in front of it): the sync step before the reshape and after it, on the
// same generated responses, interleaved in one process, medians of the rounds.
macro_rules! make_client {
    ($lib:ident, $runtime:expr, $seen:expr) => {{
        use $lib::{Client, MemoryStorage, MessageContent, TimelineEvent};
        $runtime.block_on(async {
            let client = Client::builder(MemoryStorage::new())
                .base_url(url::Url::parse("http://127.0.0.1:9").unwrap())
                .build()
                .await
                .unwrap();
            client
                .restore_session($lib::Session {
                    user_id: "@me:bench.example".parse().unwrap(),
                    device_id: "BENCH".parse().unwrap(),
                    access_token: $lib::AccessToken::new("t"),
                    refresh_token: None,
                })
                .unwrap();
            let seen = $seen.clone();
            client.publisher().subscribe(move |timeline: Arc<TimelineEvent>| {
                if let Ok(message) = timeline.event.content_as::<MessageContent>() {
                    seen.fetch_add(message.body().len(), Ordering::Relaxed);
                }
                async {}
            });
            client
        })
    }};
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let cases =
        [("1000_rooms", 1000, 0, 21), ("10000_rooms", 10_000, 0, 9), ("one_room_5000_members", 0, 1, 61)];
    for (name, rooms, big, rounds) in cases {
        let body = sync_response(rooms, big);
        let (mut value, mut before, mut after) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            let t = Instant::now();
            drop(serde_json::from_slice::<serde_json::Value>(&body).unwrap());
            value.push(t.elapsed().as_secs_f64() * 1e3);
            let client = make_client!(matrixlib_before, runtime, seen);
            let t = Instant::now();
            runtime.block_on(client.handle_sync_response(&body)).unwrap();
            before.push(t.elapsed().as_secs_f64() * 1e3);
            drop(client);
            let client = make_client!(matrixlib, runtime, seen);
            let t = Instant::now();
            runtime.block_on(client.handle_sync_response(&body)).unwrap();
            after.push(t.elapsed().as_secs_f64() * 1e3);
            drop(client);
        }
        let (v, b, a) = (median(value), median(before), median(after));
        println!(
            "{name:>22} {:.1} MiB: Value {v:.0} ms; before {b:.0} ms ({:.2}x); after {a:.0} ms ({:.2}x); after/before {:.2}",
            body.len() as f64 / 1048576.0,
            b / v,
            a / v,
            a / b
        );
    }
}
