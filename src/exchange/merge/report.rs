//! What an import did with each record, and why, as lines a manager reads.

use serde::{Deserialize, Serialize};

use crate::exchange::bundle::RecordKind;
use crate::i18n::Lang;

/// Detail lines listed per kind before "… and N more".
const SHOWN: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// The same record is already stored.
    Unchanged,
    /// The stored copy was changed later than this one.
    OlderThanStored,
    /// Same change time and content, the stored copy further along
    /// (exported rather than submitted).
    StatusBehind,
    /// This is the draft the stored, published version was made from.
    StoredIsPublished,
    /// The same conflicting copy was recorded by an earlier import.
    ConflictAlreadyRecorded,
    /// A setting of the device that wrote the file (the kiosk, its PIN):
    /// settings never travel between devices.
    DeviceLocalSetting,
}

// Serialized only in the list of documents team sync did not take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RejectReason {
    /// The response names a questionnaire version that is neither stored
    /// nor in the file: it could be neither shown nor scored.
    UnknownQuestionnaire { id: String, version: u32 },
    /// A photo or corrective action of a response that is neither stored nor
    /// in the file.
    UnknownResponse { id: String },
    /// A time later than this device's clock allows (`trust::in_future`).
    InFuture,
    /// A different copy of a submitted response: submitted answers are
    /// final, a correction is a new response.
    SubmittedIsFinal,
    /// It names a response of another questionnaire or another device in
    /// `supersedes`: only the device that wrote a visit may correct it.
    ForeignCorrection { original: String },
    /// A copy of a built-in template: those come with the app only.
    BuiltInTemplate,
    /// An action's status that jumps a step (open straight to verified) or
    /// goes back.
    StatusStep,
    /// A photo or action for a response that neither came in this file nor
    /// was written by the device that wrote it.
    ForeignResponse { id: String },
}

impl RejectReason {
    /// The report's line for the record `id` rejected for this reason, for
    /// lists kept outside a report (the inbox's quarantine).
    pub fn message(&self, id: &str, lang: Lang) -> String {
        reject_text(id, self, lang)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictReason {
    /// Both copies claim the same change time but differ.
    SameTimeDifferentContent,
    /// A published version is immutable, and the file's copy differs.
    PublishedVersionDiffers,
    /// Two drafts of one version, with no change time to choose by.
    DraftsDiffer,
    /// A record without a change time (location, photo) differs.
    Differs,
    /// Two different copies written on two devices' clocks: no clock
    /// decides between them.
    OtherDevice,
    /// A file's version of a questionnaire this device holds as a draft:
    /// a file never overwrites a manager's draft.
    DraftKept,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindReport {
    pub kind: RecordKind,
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub skipped: Vec<(String, SkipReason)>,
    pub rejected: Vec<(String, RejectReason)>,
    pub conflicts: Vec<(String, ConflictReason)>,
    /// Corrections taken, each with the response it replaces: (correction,
    /// original). They are counted in `added` or `updated` too.
    pub replacements: Vec<(String, String)>,
}

impl KindReport {
    pub fn new(kind: RecordKind) -> KindReport {
        KindReport {
            kind,
            added: Vec::new(),
            updated: Vec::new(),
            skipped: Vec::new(),
            rejected: Vec::new(),
            conflicts: Vec::new(),
            replacements: Vec::new(),
        }
    }

    pub fn total(&self) -> usize {
        self.added.len()
            + self.updated.len()
            + self.skipped.len()
            + self.rejected.len()
            + self.conflicts.len()
    }

    fn lines(&self, lang: Lang, out: &mut Vec<String>) {
        if self.total() == 0 {
            return;
        }
        let (a, u, s, r, c) = (
            self.added.len(),
            self.updated.len(),
            self.skipped.len(),
            self.rejected.len(),
            self.conflicts.len(),
        );
        let label = self.kind.label(lang);
        out.push(match lang {
            Lang::Ru => format!(
                "{label} — добавлено: {a}, обновлено: {u}, пропущено: {s}, отклонено: {r}, \
                 конфликты: {c}"
            ),
            Lang::En => format!(
                "{label} — added: {a}, updated: {u}, skipped: {s}, rejected: {r}, conflicts: {c}"
            ),
        });
        let mut reasons: Vec<(&SkipReason, usize)> = Vec::new();
        for (_, reason) in &self.skipped {
            match reasons.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, n)) => *n += 1,
                None => reasons.push((reason, 1)),
            }
        }
        for (reason, n) in reasons {
            out.push(format!("  {}: {n}", skip_text(reason, lang)));
        }
        for (correction, original) in self.replacements.iter().take(SHOWN) {
            out.push(match lang {
                Lang::Ru => format!("  «{correction}» исправляет и заменяет «{original}»"),
                Lang::En => format!("  “{correction}” corrects and replaces “{original}”"),
            });
        }
        more(self.replacements.len(), lang, out);
        for (id, reason) in self.rejected.iter().take(SHOWN) {
            out.push(format!("  {}", reject_text(id, reason, lang)));
        }
        more(self.rejected.len(), lang, out);
        for (id, reason) in self.conflicts.iter().take(SHOWN) {
            out.push(format!("  {}", conflict_text(id, *reason, lang)));
        }
        more(self.conflicts.len(), lang, out);
    }
}

fn more(len: usize, lang: Lang, out: &mut Vec<String>) {
    if len > SHOWN {
        out.push(match lang {
            Lang::Ru => format!("  … и ещё {}", len - SHOWN),
            Lang::En => format!("  … and {} more", len - SHOWN),
        });
    }
}

fn skip_text(reason: &SkipReason, lang: Lang) -> &'static str {
    use SkipReason as S;
    match (reason, lang) {
        (S::Unchanged, Lang::Ru) => "пропущено, уже есть без изменений",
        (S::Unchanged, Lang::En) => "skipped, already stored unchanged",
        (S::OlderThanStored, Lang::Ru) => "пропущено, сохранённая копия новее",
        (S::OlderThanStored, Lang::En) => "skipped, the stored copy is newer",
        (S::StatusBehind, Lang::Ru) => "пропущено, сохранённая копия уже дальше по статусу",
        (S::StatusBehind, Lang::En) => "skipped, the stored copy is further along",
        (S::StoredIsPublished, Lang::Ru) => {
            "пропущено, эта версия уже опубликована, в файле её черновик"
        }
        (S::StoredIsPublished, Lang::En) => {
            "skipped, this version is already published; the file has its draft"
        }
        (S::ConflictAlreadyRecorded, Lang::Ru) => "пропущено, этот конфликт уже записан",
        (S::ConflictAlreadyRecorded, Lang::En) => "skipped, this conflict is already recorded",
        (S::DeviceLocalSetting, Lang::Ru) => {
            "пропущено, настройки устройства (киоск, PIN) не переносятся с другого устройства"
        }
        (S::DeviceLocalSetting, Lang::En) => {
            "skipped, device settings (kiosk, PIN) never come from another device"
        }
    }
}

fn reject_text(id: &str, reason: &RejectReason, lang: Lang) -> String {
    use RejectReason as R;
    match (reason, lang) {
        (R::UnknownQuestionnaire { id: q, version }, Lang::Ru) => {
            format!("отклонено «{id}»: нет анкеты «{q}» версии {version} — импортируйте сначала её")
        }
        (R::UnknownQuestionnaire { id: q, version }, Lang::En) => format!(
            "rejected “{id}”: the questionnaire “{q}” version {version} is missing; import \
             it first"
        ),
        (R::UnknownResponse { id: r }, Lang::Ru) => {
            format!("отклонено «{id}»: нет ответа «{r}», к которому это относится")
        }
        (R::UnknownResponse { id: r }, Lang::En) => {
            format!("rejected “{id}”: the response “{r}” it belongs to is missing")
        }
        (R::InFuture, Lang::Ru) => format!(
            "отклонено «{id}»: время в записи позже, чем сейчас — на устройстве, где её \
             сделали, неверно выставлены часы"
        ),
        (R::InFuture, Lang::En) => format!(
            "rejected “{id}”: it is dated later than now; the clock of the device that made \
             it is wrong"
        ),
        (R::SubmittedIsFinal, Lang::Ru) => format!(
            "отклонено «{id}»: отправленный ответ не меняется; исправление делают новым ответом"
        ),
        (R::SubmittedIsFinal, Lang::En) => format!(
            "rejected “{id}”: a submitted response is never changed; a correction is a new \
             response"
        ),
        (R::ForeignCorrection { original }, Lang::Ru) => format!(
            "отклонено «{id}»: исправляет ответ «{original}» другой анкеты или другого \
             устройства"
        ),
        (R::ForeignCorrection { original }, Lang::En) => format!(
            "rejected “{id}”: it claims to correct “{original}”, a response of another \
             questionnaire or another device"
        ),
        (R::BuiltInTemplate, Lang::Ru) => {
            format!("отклонено «{id}»: это встроенный шаблон, он приходит только с приложением")
        }
        (R::BuiltInTemplate, Lang::En) => {
            format!("rejected “{id}”: a built-in template comes with the app only")
        }
        (R::StatusStep, Lang::Ru) => format!(
            "отклонено «{id}»: статус меняется только по шагам: открыто → выполнено → проверено"
        ),
        (R::StatusStep, Lang::En) => {
            format!("rejected “{id}”: a status moves one step at a time: open → done → verified")
        }
        (R::ForeignResponse { id: r }, Lang::Ru) => format!(
            "отклонено «{id}»: относится к ответу «{r}», которого нет в этом файле и который \
             сделан на другом устройстве"
        ),
        (R::ForeignResponse { id: r }, Lang::En) => format!(
            "rejected “{id}”: it belongs to the response “{r}”, which is not in this file and \
             was made on another device"
        ),
    }
}

fn conflict_text(id: &str, reason: ConflictReason, lang: Lang) -> String {
    use ConflictReason as C;
    let why = match (reason, lang) {
        (C::SameTimeDifferentContent, Lang::Ru) => "изменено в одно и то же время, но по-разному",
        (C::SameTimeDifferentContent, Lang::En) => "changed at the same time in different ways",
        (C::PublishedVersionDiffers, Lang::Ru) => {
            "опубликованная версия не совпадает с версией из файла"
        }
        (C::PublishedVersionDiffers, Lang::En) => {
            "the published version differs from the file's copy"
        }
        (C::DraftsDiffer, Lang::Ru) => "два разных черновика одной версии",
        (C::DraftsDiffer, Lang::En) => "two different drafts of one version",
        (C::Differs, Lang::Ru) => "копии различаются",
        (C::Differs, Lang::En) => "the copies differ",
        (C::OtherDevice, Lang::Ru) => "копии с разных устройств различаются",
        (C::OtherDevice, Lang::En) => "copies from two devices differ",
        (C::DraftKept, Lang::Ru) => "у вас есть черновик этой анкеты, файл его не заменяет",
        (C::DraftKept, Lang::En) => {
            "you have a draft of this questionnaire; a file never replaces it"
        }
    };
    match lang {
        Lang::Ru => format!("конфликт «{id}»: {why}; обе копии сохранены, выберите нужную"),
        Lang::En => format!("conflict “{id}”: {why}; both copies are kept, choose one"),
    }
}

/// Per kind, in [`RecordKind::ALL`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeReport {
    pub kinds: Vec<KindReport>,
}

impl Default for MergeReport {
    fn default() -> Self {
        MergeReport {
            kinds: RecordKind::ALL.into_iter().map(KindReport::new).collect(),
        }
    }
}

impl MergeReport {
    pub fn kind(&self, kind: RecordKind) -> &KindReport {
        self.kinds
            .iter()
            .find(|k| k.kind == kind)
            .expect("every kind has a report")
    }

    pub(super) fn kind_mut(&mut self, kind: RecordKind) -> &mut KindReport {
        self.kinds
            .iter_mut()
            .find(|k| k.kind == kind)
            .expect("every kind has a report")
    }

    /// Whether the import stores anything: added, updated or a new conflict.
    pub fn changed(&self) -> bool {
        self.kinds
            .iter()
            .any(|k| !k.added.is_empty() || !k.updated.is_empty() || !k.conflicts.is_empty())
    }

    /// A headline, then per kind a count line and the reasons.
    pub fn message(&self, lang: Lang) -> Vec<String> {
        let total: usize = self.kinds.iter().map(KindReport::total).sum();
        let rejected = self.kinds.iter().any(|k| !k.rejected.is_empty());
        let mut out = vec![match (total, self.changed(), rejected, lang) {
            (0, _, _, Lang::Ru) => "В файле нет записей для импорта.".to_owned(),
            (0, _, _, Lang::En) => "The file holds nothing to import.".to_owned(),
            (_, false, true, Lang::Ru) => "Ничего не сохранено — причины ниже.".to_owned(),
            (_, false, true, Lang::En) => "Nothing was stored; the reasons are below.".to_owned(),
            (_, false, false, Lang::Ru) => {
                "Ничего не изменилось: всё из файла уже есть.".to_owned()
            }
            (_, false, false, Lang::En) => {
                "Nothing changed: everything in the file is already here.".to_owned()
            }
            (_, true, _, Lang::Ru) => "Импорт выполнен.".to_owned(),
            (_, true, _, Lang::En) => "Import done.".to_owned(),
        }];
        for k in &self.kinds {
            k.lines(lang, &mut out);
        }
        out
    }
}
