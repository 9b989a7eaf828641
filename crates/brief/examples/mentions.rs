//! Prints the figures the brief reads from some articles, with what it
//! decided about each (label, scope, subject, years), for labelling and
//! debugging: `cargo run -p parallax-brief --example mentions -- FILE.jsonl ID...`.

use std::io::BufRead;

use parallax_brief::entities::Names;
use parallax_brief::facts::{mentions, overlap};
use parallax_brief::{ArticleProfile, BriefConfig, Briefer};

use parallax_model::Article;
use parallax_text::Analyzer;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((file, ids)) = args.split_first() else {
        eprintln!("usage: mentions FILE.jsonl ID...");
        std::process::exit(2);
    };
    let reader = std::io::BufReader::new(std::fs::File::open(file).expect("open input"));
    let mut articles: Vec<Article> = Vec::new();
    for line in reader.lines() {
        let line = line.expect("read line");
        let v: serde_json::Value = serde_json::from_str(&line).expect("json");
        let id = v["id"].as_str().unwrap_or_default();
        if ids.iter().any(|x| x == id) {
            let mut a = Article::new(id, v["text"].as_str().unwrap_or_default());
            a.lang = Some("en".into());
            articles.push(a);
        }
    }
    let profiles: Vec<ArticleProfile> = articles.iter().map(ArticleProfile::new).collect();
    let names = Names::build(&profiles);
    let en = Analyzer::english();
    let mut briefer = Briefer::new(BriefConfig::default());
    for a in &articles {
        briefer.observe(a);
    }
    let ms = mentions(&profiles, &names, &en);
    let label = std::env::var("LABEL").unwrap_or_default();
    for (i, x) in ms.iter().enumerate().filter(|(_, m)| m.label == label) {
        for y in ms[i + 1..]
            .iter()
            .filter(|m| m.label == label && m.article != x.article)
        {
            println!(
                "PAIR {}={} {}={} overlap {:.2}",
                articles[x.article].id,
                x.quantity.show(),
                articles[y.article].id,
                y.quantity.show(),
                overlap(&briefer, &x.context, &y.context)
            );
        }
    }
    for f in parallax_brief::facts::facts(&briefer, &profiles, &names, &en) {
        if f.about == label {
            let v: Vec<(String, Vec<String>)> = f
                .values
                .iter()
                .map(|v| {
                    (
                        v.value.clone(),
                        v.sources.iter().map(|s| s.to_string()).collect(),
                    )
                })
                .collect();
            println!("FACT agree={} {:?}", f.agree, v);
        }
    }
    for m in ms {
        println!(
            "{} {} {:?} [{}] scope={:?} years={:?} subj={:?} amb={} bg={} fc={} pl={:?} | {}",
            articles[m.article].id,
            m.quantity.show(),
            m.qualifier,
            m.label,
            m.scope,
            m.years,
            m.subject.map(|e| names.get(e).name.clone()),
            m.ambiguous,
            m.background,
            m.forecast,
            m.places,
            m.wording
        );
    }
}
