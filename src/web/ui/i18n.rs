//! The current UI language as global reactive state.

use leptos::prelude::*;

use crate::i18n::{Lang, Msg};
use crate::web::platform;

#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// Translated text; reading it inside a view re-renders on a switch.
    /// Inlined like [`Msg::text`], so only the texts used are linked.
    #[inline(always)]
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang.get())
    }

    pub fn set(&self, lang: Lang) {
        platform::remember_lang(lang);
        self.lang.set(lang);
    }
}

pub fn provide_i18n() {
    let lang = RwSignal::new(platform::initial_lang());
    // Screen readers and hyphenation follow <html lang>.
    Effect::new(move |_| {
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", lang.get().code());
        }
    });
    provide_context(I18n { lang });
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
