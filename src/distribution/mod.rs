//! Putting a questionnaire in people's hands: QR codes for links, and short
//! links for surveys too big for a scannable code: a file beside the app
//! ([`short_link`]) or, with a team server, a form in its forms database
//! ([`form_link`]).

pub mod form_link;
pub mod qr;
pub mod short_link;

/// The longest message the common messengers deliver whole (Telegram takes
/// 4,096 characters): a longer link is cut or refused, and the person at
/// the other end gets a link that does not open.
pub const MESSENGER_MAX_CHARS: usize = 4096;

/// How a link can travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkReach {
    pub chars: usize,
    /// Whether it fits one messenger message.
    pub messenger: bool,
    /// Whether its QR code is one a phone reads reliably
    /// ([`qr::MAX_SCANNABLE_VERSION`]).
    pub scannable: bool,
}

pub fn link_reach(url: &str) -> LinkReach {
    let chars = url.chars().count();
    LinkReach {
        chars,
        messenger: chars <= MESSENGER_MAX_CHARS,
        scannable: qr::is_scannable(url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_says_where_it_fits() {
        let short = "https://shop.example/app/#/q/1.abc";
        assert_eq!(
            link_reach(short),
            LinkReach {
                chars: short.len(),
                messenger: true,
                scannable: true
            }
        );
        let at_limit = format!("https://x/#{}", "a".repeat(MESSENGER_MAX_CHARS - 11));
        assert_eq!(at_limit.chars().count(), MESSENGER_MAX_CHARS);
        assert!(link_reach(&at_limit).messenger);
        let over = format!("{at_limit}b");
        let reach = link_reach(&over);
        assert!(!reach.messenger && !reach.scannable);
        // Cyrillic counts as characters, not bytes.
        assert!(link_reach(&"я".repeat(MESSENGER_MAX_CHARS)).messenger);
    }
}
