//! Why sealing, opening or a key file was refused, in words a manager can
//! act on. A refused inbox document changes nothing and is quarantined with
//! its reason; [`OpenError::kind`] is the stable name a quarantine list keeps.

use crate::i18n::Lang;

/// Which part of a binding disagreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindingField {
    /// The document's id differs from the response id sealed inside.
    DocumentId,
    /// The response's own id differs from the one it was sealed under.
    ResponseId,
    Questionnaire,
    Version,
    Location,
}

impl BindingField {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (BindingField::DocumentId, Lang::Ru) => "идентификатор документа",
            (BindingField::DocumentId, Lang::En) => "the document id",
            (BindingField::ResponseId, Lang::Ru) => "идентификатор ответа",
            (BindingField::ResponseId, Lang::En) => "the response id",
            (BindingField::Questionnaire, Lang::Ru) => "анкета",
            (BindingField::Questionnaire, Lang::En) => "the questionnaire",
            (BindingField::Version, Lang::Ru) => "версия анкеты",
            (BindingField::Version, Lang::En) => "the questionnaire version",
            (BindingField::Location, Lang::Ru) => "точка",
            (BindingField::Location, Lang::En) => "the location",
        }
    }
}

/// A public key from a link that is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    NotBase64,
    WrongLength { found: usize, expected: usize },
}

/// For serde, which reports a key in a link that is not one in English.
impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl KeyError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (KeyError::NotBase64, Lang::Ru) => {
                "Ключ команды в ссылке повреждён: ссылка скопирована не полностью?".to_owned()
            }
            (KeyError::NotBase64, Lang::En) => {
                "The team key in the link is damaged: was the link copied only in part?".to_owned()
            }
            (KeyError::WrongLength { found, expected }, Lang::Ru) => format!(
                "Ключ команды в ссылке неверной длины ({found} байт вместо {expected}): ссылка \
                 скопирована не полностью?"
            ),
            (KeyError::WrongLength { found, expected }, Lang::En) => format!(
                "The team key in the link has the wrong length ({found} bytes, not {expected}): \
                 was the link copied only in part?"
            ),
        }
    }
}

/// Why a field device could not seal an answer. Each is a bug or a bad
/// link rather than anything the respondent did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealError {
    /// The response is not JSON with an id, questionnaire and version.
    NotAResponse {
        detail: String,
    },
    /// The response says something else than the binding it is sealed under.
    BindingMismatch {
        field: BindingField,
        bound: String,
        claimed: String,
    },
    TooLarge {
        bytes: u64,
        max: u64,
    },
    TooManyParts {
        count: u64,
        max: u32,
    },
    /// HPKE refused the public key (a low-order point): a forged link.
    BadKey,
}

impl SealError {
    pub fn kind(&self) -> &'static str {
        match self {
            SealError::NotAResponse { .. } => "not_a_response",
            SealError::BindingMismatch { .. } => "binding_mismatch",
            SealError::TooLarge { .. } => "too_large",
            SealError::TooManyParts { .. } => "too_many_parts",
            SealError::BadKey => "bad_key",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        use SealError as E;
        match (self, lang) {
            (E::NotAResponse { detail }, Lang::Ru) => {
                format!("Ответ не удалось зашифровать: данные ответа повреждены ({detail}).")
            }
            (E::NotAResponse { detail }, Lang::En) => {
                format!("The answer could not be sealed: its data is damaged ({detail}).")
            }
            (
                E::BindingMismatch {
                    field,
                    bound,
                    claimed,
                },
                Lang::Ru,
            ) => format!(
                "Ответ не удалось зашифровать: {} в ответе («{claimed}») не совпадает с \
                 ожидаемой («{bound}»).",
                field.label(lang)
            ),
            (
                E::BindingMismatch {
                    field,
                    bound,
                    claimed,
                },
                Lang::En,
            ) => format!(
                "The answer could not be sealed: {} in the answer (“{claimed}”) differs from \
                 the expected one (“{bound}”).",
                field.label(lang)
            ),
            (E::TooLarge { bytes, max }, Lang::Ru) => {
                format!("Ответ слишком велик для отправки: {bytes} байт, допустимо не более {max}.")
            }
            (E::TooLarge { bytes, max }, Lang::En) => {
                format!("The answer is too large to send: {bytes} bytes, at most {max} allowed.")
            }
            (E::TooManyParts { count, max }, Lang::Ru) => format!(
                "Фотографий слишком много для отправки: нужно {count} частей, допустимо не более \
                 {max}. Отправьте аудит файлом."
            ),
            (E::TooManyParts { count, max }, Lang::En) => format!(
                "The photos are too many to send: {count} parts needed, at most {max} allowed. \
                 Send the audit as a file."
            ),
            (E::BadKey, Lang::Ru) => {
                "Ключ команды в ссылке недействителен. Попросите у магазина новую ссылку."
                    .to_owned()
            }
            (E::BadKey, Lang::En) => {
                "The team key in the link is not valid. Ask the shop for a new link.".to_owned()
            }
        }
    }
}

/// Why an inbox document was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// Not the sealed shape: wrong type, missing fields, an id not
    /// `resp:<uuid>`, fields not base64url.
    Malformed {
        detail: String,
    },
    /// Sealed by a newer build of the app.
    NewerVersion {
        found: u32,
        supported: u32,
    },
    /// Sealed to a key this device does not hold: another team's, or a
    /// team key not imported here.
    UnknownKey {
        kid: String,
    },
    Oversize {
        bytes: u64,
        max: u64,
    },
    /// Does not open: changed after sealing, sealed to another key under
    /// this key's id, or copied under another document id.
    DecryptFailed,
    /// A part of an answer's photos where an answer was expected.
    NotAnAnswer,
    /// Opens, but holds no response.
    NotAResponse {
        detail: String,
    },
    /// Opens, but the response says something else than what it was sealed
    /// under.
    BindingMismatch {
        field: BindingField,
        bound: String,
        claimed: String,
    },
    MissingPart {
        index: u32,
        count: u32,
    },
    /// A part numbered beyond the count the answer declares.
    ExtraPart {
        index: u32,
        count: u32,
    },
    DuplicatePart {
        index: u32,
    },
    /// The part stored as number `at` was sealed as number `belongs`.
    MisplacedPart {
        at: u32,
        belongs: u32,
    },
    /// The parts open but do not add up to what the answer declared: parts
    /// of two different sendings mixed.
    PartsMismatch,
    /// One part failed for its own reason.
    Part {
        index: u32,
        problem: Box<OpenError>,
    },
}

impl OpenError {
    /// A stable snake_case name, for the quarantine list and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            OpenError::Malformed { .. } => "malformed",
            OpenError::NewerVersion { .. } => "newer_version",
            OpenError::UnknownKey { .. } => "unknown_key",
            OpenError::Oversize { .. } => "oversize",
            OpenError::DecryptFailed => "decrypt_failed",
            OpenError::NotAnAnswer => "not_an_answer",
            OpenError::NotAResponse { .. } => "not_a_response",
            OpenError::BindingMismatch { .. } => "binding_mismatch",
            OpenError::MissingPart { .. } => "missing_part",
            OpenError::ExtraPart { .. } => "extra_part",
            OpenError::DuplicatePart { .. } => "duplicate_part",
            OpenError::MisplacedPart { .. } => "misplaced_part",
            OpenError::PartsMismatch => "parts_mismatch",
            OpenError::Part { .. } => "part",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        use OpenError as E;
        match (self, lang) {
            (E::Malformed { detail }, Lang::Ru) => format!(
                "Документ во входящих не похож на зашифрованный ответ ServiceLens ({detail}). \
                 Его не учитывают."
            ),
            (E::Malformed { detail }, Lang::En) => format!(
                "The inbox document does not look like a sealed ServiceLens answer ({detail}). \
                 It is not counted."
            ),
            (E::NewerVersion { found, supported }, Lang::Ru) => format!(
                "Ответ отправлен более новой версией ServiceLens (формат {found}, это приложение \
                 читает до {supported}). Обновите приложение — ответ прочитается при следующей \
                 загрузке."
            ),
            (E::NewerVersion { found, supported }, Lang::En) => format!(
                "The answer was sent by a newer ServiceLens (format {found}; this app reads up \
                 to {supported}). Update the app and the answer is read on the next pull."
            ),
            (E::UnknownKey { kid }, Lang::Ru) => format!(
                "Ответ зашифрован ключом «{kid}», которого нет на этом устройстве: ключом другой \
                 команды или ключом, который сюда не импортировали. Импортируйте файл ключа, \
                 если он ваш."
            ),
            (E::UnknownKey { kid }, Lang::En) => format!(
                "The answer is sealed to the key “{kid}”, which this device does not hold: \
                 another team's key, or one not imported here. Import its key file if it is yours."
            ),
            (E::Oversize { bytes, max }, Lang::Ru) => format!(
                "Документ слишком велик для ответа: {bytes} байт, допустимо не более {max}. \
                 Его не открывали."
            ),
            (E::Oversize { bytes, max }, Lang::En) => format!(
                "The document is too large for an answer: {bytes} bytes, at most {max} allowed. \
                 It was not opened."
            ),
            (E::DecryptFailed, Lang::Ru) => {
                "Ответ не расшифровывается: его изменили после отправки, переложили под другой \
                 идентификатор или зашифровали чужим ключом. Его не учитывают."
                    .to_owned()
            }
            (E::DecryptFailed, Lang::En) => {
                "The answer does not open: it was changed after it was sent, moved under another \
                 id, or sealed to someone else's key. It is not counted."
                    .to_owned()
            }
            (E::NotAnAnswer, Lang::Ru) => "Это часть фотографий ответа, а не сам ответ.".to_owned(),
            (E::NotAnAnswer, Lang::En) => {
                "This is a part of an answer's photos, not an answer.".to_owned()
            }
            (E::NotAResponse { detail }, Lang::Ru) => format!(
                "Документ расшифрован, но внутри не ответ на анкету ({detail}). Его не учитывают."
            ),
            (E::NotAResponse { detail }, Lang::En) => format!(
                "The document opens but holds no questionnaire answer ({detail}). It is not \
                 counted."
            ),
            (
                E::BindingMismatch {
                    field,
                    bound,
                    claimed,
                },
                Lang::Ru,
            ) => format!(
                "Ответ отклонён: {} внутри ответа («{claimed}») не совпадает с той, под которой \
                 его отправили («{bound}»). Ответ могли подделать.",
                field.label(lang)
            ),
            (
                E::BindingMismatch {
                    field,
                    bound,
                    claimed,
                },
                Lang::En,
            ) => format!(
                "The answer was refused: {} inside it (“{claimed}”) differs from the one it was \
                 sent under (“{bound}”). It may have been forged.",
                field.label(lang)
            ),
            (E::MissingPart { index, count }, Lang::Ru) => format!(
                "Фотографии ответа пришли не полностью: нет части {index} из {count}. Возможно, \
                 она ещё в пути."
            ),
            (E::MissingPart { index, count }, Lang::En) => format!(
                "The answer's photos are incomplete: part {index} of {count} is missing. It may \
                 still be on its way."
            ),
            (E::ExtraPart { index, count }, Lang::Ru) => format!(
                "У ответа лишняя часть фотографий: номер {index}, а частей должно быть {count}."
            ),
            (E::ExtraPart { index, count }, Lang::En) => format!(
                "The answer has an extra photo part: number {index}, but it declares {count}."
            ),
            (E::DuplicatePart { index }, Lang::Ru) => {
                format!("Часть фотографий номер {index} пришла дважды.")
            }
            (E::DuplicatePart { index }, Lang::En) => {
                format!("Photo part number {index} arrived twice.")
            }
            (E::MisplacedPart { at, belongs }, Lang::Ru) => format!(
                "Части фотографий перепутаны: под номером {at} лежит часть {belongs}. Ответ не \
                 учитывают."
            ),
            (E::MisplacedPart { at, belongs }, Lang::En) => format!(
                "The photo parts are out of place: part {belongs} is stored as number {at}. The \
                 answer is not counted."
            ),
            (E::PartsMismatch, Lang::Ru) => {
                "Части фотографий не складываются в то, что указано в ответе: смешаны части \
                 разных отправок."
                    .to_owned()
            }
            (E::PartsMismatch, Lang::En) => {
                "The photo parts do not add up to what the answer declares: parts of different \
                 sendings were mixed."
                    .to_owned()
            }
            (E::Part { index, problem }, Lang::Ru) => {
                format!("Часть фотографий {index}: {}", problem.message(lang))
            }
            (E::Part { index, problem }, Lang::En) => {
                format!("Photo part {index}: {}", problem.message(lang))
            }
        }
    }
}

/// Why a key file was not imported (or, for a short passphrase, not written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyFileError {
    /// Not JSON, or JSON of another kind.
    NotAKeyFile,
    NewerFormat {
        found: u64,
        supported: u64,
    },
    /// The passphrase is wrong, or the file was changed after it was saved:
    /// the two cannot be told apart, by design.
    WrongPassphraseOrDamaged,
    /// The protection's iteration count is outside what this app runs: too
    /// few would make guessing cheap, too many would freeze the device.
    IterationsOutOfBounds {
        found: u64,
        min: u32,
        max: u32,
    },
    /// Fields missing or of the wrong kind.
    Damaged {
        detail: String,
    },
    PassphraseTooShort {
        min: usize,
    },
}

impl KeyFileError {
    pub fn kind(&self) -> &'static str {
        match self {
            KeyFileError::NotAKeyFile => "not_a_key_file",
            KeyFileError::NewerFormat { .. } => "newer_format",
            KeyFileError::WrongPassphraseOrDamaged => "wrong_passphrase_or_damaged",
            KeyFileError::IterationsOutOfBounds { .. } => "iterations_out_of_bounds",
            KeyFileError::Damaged { .. } => "damaged",
            KeyFileError::PassphraseTooShort { .. } => "passphrase_too_short",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        use KeyFileError as E;
        match (self, lang) {
            (E::NotAKeyFile, Lang::Ru) => "Это не файл ключа команды ServiceLens.".to_owned(),
            (E::NotAKeyFile, Lang::En) => "This is not a ServiceLens team key file.".to_owned(),
            (E::NewerFormat { found, supported }, Lang::Ru) => format!(
                "Файл ключа сохранён более новой версией ServiceLens (формат {found}, это \
                 приложение читает до {supported}). Обновите приложение и импортируйте файл снова."
            ),
            (E::NewerFormat { found, supported }, Lang::En) => format!(
                "The key file was saved by a newer ServiceLens (format {found}; this app reads \
                 up to {supported}). Update the app and import the file again."
            ),
            (E::WrongPassphraseOrDamaged, Lang::Ru) => {
                "Неверная фраза-пароль, или файл ключа изменён после сохранения. Проверьте \
                 раскладку клавиатуры и регистр букв."
                    .to_owned()
            }
            (E::WrongPassphraseOrDamaged, Lang::En) => {
                "Wrong passphrase, or the key file was changed after it was saved. Check the \
                 keyboard layout and capital letters."
                    .to_owned()
            }
            (E::IterationsOutOfBounds { found, min, max }, Lang::Ru) => format!(
                "Параметры защиты файла ключа недопустимы ({found} итераций, допустимо от {min} \
                 до {max}): файл повреждён или подделан."
            ),
            (E::IterationsOutOfBounds { found, min, max }, Lang::En) => format!(
                "The key file's protection settings are out of bounds ({found} iterations; \
                 {min} to {max} allowed): the file is damaged or forged."
            ),
            (E::Damaged { detail }, Lang::Ru) => {
                format!("Файл ключа повреждён ({detail}).")
            }
            (E::Damaged { detail }, Lang::En) => format!("The key file is damaged ({detail})."),
            (E::PassphraseTooShort { min }, Lang::Ru) => format!(
                "Фраза-пароль слишком короткая: нужно не меньше {min} символов. Без неё файл \
                 ключа не открыть, поэтому запишите её."
            ),
            (E::PassphraseTooShort { min }, Lang::En) => format!(
                "The passphrase is too short: at least {min} characters. The key file cannot be \
                 opened without it, so write it down."
            ),
        }
    }
}
