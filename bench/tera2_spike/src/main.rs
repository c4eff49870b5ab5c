//! Times Tera 1 (as briefing uses it) and Tera 2 on the default theme's quotation list and timeline.

use serde_json::json;
use std::time::Instant;

const PAGE_TERA1: &str = r#"{% import "macros.html" as macros %}<main>{{ macros::quote_list(quotes=quotes, root=root, show_article=true) }}{{ macros::timeline(months=months, root=root, show_speaker=true) }}</main>"#;
const PAGE_TERA2: &str = r#"<main>{{ <quote_list quotes={quotes} root={root} show_article={true} /> }}{{ <timeline months={months} root={root} show_speaker={true} /> }}</main>"#;
const PAGES: u32 = 2000;

fn quote(i: usize) -> serde_json::Value {
    json!({
        "text": format!("We expect concrete results, not more promises, number {i}."),
        "partial": i.is_multiple_of(5),
        "speaker": "Kassym-Jomart Tokayev",
        "speaker_path": if i.is_multiple_of(3) { serde_json::Value::Null } else { json!("people/kassym-jomart-tokayev.html") },
        "speaker_kind": "person",
        "belongs_to": serde_json::Value::Null,
        "article_title": "Comoros and Mongolia warned about the border",
        "path": format!("articles/story-{i:06}.html#q-1"),
        "date_display": "27 March 2022",
    })
}

fn context_json() -> serde_json::Value {
    let months: Vec<_> = (0..4)
        .map(|m| {
            json!({
                "label": "March 2022",
                "id": format!("2022-0{m}"),
                "entries": (0..10).map(|e| json!({
                    "article": {"title": "A title of an article", "path": format!("articles/s-{e}.html"),
                        "date": "2022-03-27", "date_display": "27 March 2022", "outlet": "The Guardian",
                        "author": null, "summary": null},
                    "quotes": (0..5).map(quote).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"quotes": (0..50).map(quote).collect::<Vec<_>>(), "months": months, "root": "../"})
}

fn per_page(work: impl Fn()) -> std::time::Duration {
    let start = Instant::now();
    for _ in 0..PAGES {
        work();
    }
    start.elapsed() / PAGES
}

fn main() {
    let macros = include_str!("../../../themes/default/templates/macros.html");
    let components = macros
        .replace("{% macro ", "{% component ")
        .replace("{% endmacro ", "{% endcomponent ")
        .replace("{%- endmacro ", "{%- endcomponent ");
    let value = context_json();

    let mut tera1 = tera1::Tera::default();
    tera1
        .add_raw_templates(vec![("macros.html", macros), ("page.html", PAGE_TERA1)])
        .unwrap();
    let context1 = tera1::Context::from_value(value.clone()).unwrap();
    let render1 = per_page(|| {
        std::hint::black_box(tera1.render("page.html", &context1).unwrap());
    });
    let make1 = per_page(|| {
        std::hint::black_box(tera1::Context::from_value(value.clone()).unwrap());
    });

    let mut tera2 = tera2::Tera::default();
    tera2
        .add_raw_templates(vec![
            ("components.html", components.as_str()),
            ("page.html", PAGE_TERA2),
        ])
        .unwrap();
    let context2 = tera2::Context::from_serialize(&value).unwrap();
    let render2 = per_page(|| {
        std::hint::black_box(tera2.render("page.html", &context2).unwrap());
    });
    let make2 = per_page(|| {
        std::hint::black_box(tera2::Context::from_serialize(&value).unwrap());
    });
    let quotes = tera2::Value::from_serializable(&value["quotes"]);
    let months = tera2::Value::from_serializable(&value["months"]);
    let shared2 = per_page(|| {
        let mut context = tera2::Context::new();
        context.insert_value("quotes", quotes.clone());
        context.insert_value("months", months.clone());
        context.insert("root", "../");
        std::hint::black_box(context);
    });

    println!("per page            render      context");
    println!("Tera 1              {render1:>10.1?}  {make1:>10.1?} (a JSON value copied)");
    println!("Tera 2              {render2:>10.1?}  {make2:>10.1?} (serialised from JSON)");
    println!(
        "Tera 2, shared      {:>10}  {shared2:>10.1?} (values made once, shared)",
        ""
    );
}
