//! Matcher micro-benchmarks at 1, 100 and 10,000 routes: a mockd-style mix under a shared `/api/v1/` prefix
//! (literal, `{param}` and `/*` routes in turn, each with a method). Every timed iteration asserts the winner.
//!
//! `hit_last`: the last-defined route (a linear matcher's worst case). `mix`: a fixed random sample of hits.

use std::hint::black_box;
use std::time::Duration;

use _native::matcher::Matcher;
use _native::predicates::Request;
use _native::route::RouteSpec;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn route_table(n: usize) -> Vec<RouteSpec> {
    (0..n)
        .map(|i| {
            let path = match i % 3 {
                0 => format!("/api/v1/res{i}"),
                1 => format!("/api/v1/res{i}/{{id}}"),
                _ => format!("/api/v1/res{i}/*"),
            };
            RouteSpec::new(Some("GET"), &path)
        })
        .collect()
}

/// A request path that route `i` wins.
fn hit(i: usize) -> String {
    match i % 3 {
        0 => format!("/api/v1/res{i}"),
        1 => format!("/api/v1/res{i}/42"),
        _ => format!("/api/v1/res{i}/a/b"),
    }
}

/// A small deterministic generator (no dependency needed for a fixed sample).
fn sample(n: usize, count: usize) -> Vec<usize> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % n as u64).unwrap_or(0)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("matcher");
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3)).sample_size(40);
    for n in [1usize, 100, 10_000] {
        let m = Matcher::build(route_table(n)).expect("bench routes build");
        let last = n - 1;
        let last_path = hit(last);
        group.bench_with_input(BenchmarkId::new("hit_last", n), &n, |b, _| {
            b.iter(|| {
                let req = Request::new("GET", black_box(&last_path), "", &[], b"");
                let won = m.match_request(&req).map(|x| x.route);
                assert_eq!(won, Some(last));
            });
        });
        let picks = sample(n, 256);
        let paths: Vec<(usize, String)> = picks.iter().map(|&i| (i, hit(i))).collect();
        let mut k = 0;
        group.bench_with_input(BenchmarkId::new("mix", n), &n, |b, _| {
            b.iter(|| {
                let (want, path) = &paths[k % paths.len()];
                k += 1;
                let req = Request::new("GET", black_box(path), "", &[], b"");
                assert_eq!(m.match_request(&req).map(|x| x.route), Some(*want));
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
