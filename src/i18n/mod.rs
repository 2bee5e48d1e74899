//! The i18n layer. The rule, for every text a person reads:
//!
//! - a screen's text is a [`Msg`] of this table, and text with figures in
//!   it is a function here (`storage_usage`, `pin_wait`, …);
//! - a pure type whose values carry a message (an error, a validation
//!   issue, an import report line) carries its texts in one
//!   `fn message(&self, Lang) -> String` beside its cases, so adding a case
//!   without its text does not compile;
//! - questionnaire text is data and carries both languages itself
//!   (`domain::Text`).
//!
//! Nothing else spells out a sentence per language; other matches on
//! [`Lang`] are locale rules (the decimal sign, the CSV list separator).
//!
//! A typed table rather than a runtime catalogue (fluent, leptos_i18n): the
//! `match` in [`Msg::text`] makes a missing translation a compile error, costs
//! no parsing at start-up and adds nothing to the download. Number formatting
//! follows the language (decimal comma in Russian).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first of the browser's preferred languages that we speak;
    /// English when none is.
    pub fn from_browser<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred
            .into_iter()
            .find_map(|tag| {
                let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
                Lang::from_code(&primary)
            })
            .unwrap_or(Lang::En)
    }

    /// The language's own name, shown in the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }
}

macro_rules! messages {
    ($($key:ident => $ru:literal, $en:literal;)+) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),+ }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),+];

            // Inlined into every call, where the message is a constant, so
            // the match folds to that message's two texts and a binary links
            // only the texts it shows (the customer's lean survey page needs
            // a few dozen of them, not the whole table).
            #[inline(always)]
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::Ru) => $ru, (Msg::$key, Lang::En) => $en,)+
                }
            }
        }
    };
}

messages! {
    AppName => "ServiceLens", "ServiceLens";
    MainNavigation => "Основное меню", "Main navigation";
    NavDashboard => "Панель", "Dashboard";
    NavSettings => "Настройки", "Settings";
    NavResponses => "Ответы", "Responses";
    NavActions => "Задачи", "Actions";
    NavAudits => "Проверки", "Audits";
    NavExchange => "Импорт и экспорт", "Import and export";
    NavMyAudits => "Мои проверки", "My audits";
    NavNewAudit => "Новая проверка", "New audit";
    NavToSend => "Ждут отправки", "Waiting to be sent";
    NavMore => "Ещё", "More";
    RoleHeading => "Кто пользуется этим устройством", "Who uses this device";
    RoleHelp => "От этого зависит меню. Данные на устройстве остаются те же.", "This sets the menu. The data on the device stays the same.";
    RoleManager => "Менеджер: панель, ответы, анкеты, точки", "A manager: dashboard, responses, questionnaires, locations";
    ShowTrend => "Динамика", "Trend";
    ChangeRise => "рост, не случайность", "a real rise";
    ChangeFall => "падение, не случайность", "a real fall";
    ChangeWithinNoise => "в пределах погрешности", "within noise";
    FirstRunTitle => "Начало работы", "Getting started";
    FirstRunStores => "Добавьте свои магазины", "Add your stores";
    FirstRunStoresGo => "Добавить магазины", "Add stores";
    FirstRunStaff => "Добавьте сотрудников", "Add your staff";
    FirstRunStaffGo => "Добавить сотрудников", "Add staff";
    FirstRunQuestionnaire => "Выберите анкету из шаблонов и опубликуйте её", "Pick a questionnaire from the templates and publish it";
    FirstRunQuestionnaireGo => "Выбрать шаблон", "Pick a template";
    FirstRunShare => "Дайте ссылку или QR-код покупателям и проверяющим", "Give the link or QR code to customers and shoppers";
    FirstRunShareGo => "Открыть QR-коды и ссылки", "Open QR codes and links";
    FirstRunResults => "Получите первые ответы и откройте панель", "Get the first answers and read the dashboard";
    FirstRunResultsGo => "Открыть панель", "Open the dashboard";
    FirstRunStepDone => "Сделано", "Done";
    FirstRunStepToDo => "Ещё не сделано", "Not done yet";
    FirstRunHide => "Скрыть этот список", "Hide this checklist";
    RoleShopper => "Тайный покупатель: мои проверки и отправка", "A mystery shopper: my audits and sending them";
    Loading => "Загрузка…", "Loading…";
    NotFound => "Такой страницы нет.", "There is no such page.";
    BackHome => "На главную", "Back to Home";

    HomeTitle => "Качество обслуживания", "Service quality";
    HomeIntro => "Проверки тайного покупателя, опросы клиентов и показатели — прямо на этом устройстве, даже без сети.",
                 "Mystery-shopper audits, customer surveys and KPIs, right on this device, even offline.";
    Drafts => "Черновики", "Drafts";
    NoDrafts => "Незавершённых проверок нет.", "No unfinished audits.";
    ContinueDraft => "Продолжить", "Continue";

    FillTitle => "Новая проверка", "New audit";
    ChooseChecklist => "Выберите чек-лист", "Choose a checklist";
    StartAudit => "Начать проверку", "Start audit";
    Location => "Точка", "Location";
    DefaultLocationName => "Основная точка", "Main location";
    Yes => "Да", "Yes";
    No => "Нет", "No";
    NotApplicable => "Н/П", "N/A";
    // A shopper finishes; only sending sends (the outbox): two words.
    SubmitFill => "Завершить", "Submit";
    Submit => "Отправить", "Submit";
    MissingRequired => "Ответьте на обязательные вопросы:", "Answer the required questions:";
    SaveFailed => "Не удалось сохранить ответ на устройстве. Он остаётся в памяти; повторите попытку.",
                  "Could not save the answer on this device. It is kept in memory; please try again.";
    Retry => "Повторить", "Retry";
    ResponseNotFound => "Такой проверки нет на этом устройстве.", "There is no such audit on this device.";
    AlreadySubmitted => "Проверка завершена и доступна только для чтения.", "This audit is submitted and read-only.";
    StorageUnavailable => "Хранилище браузера недоступно: данные нельзя сохранить.",
                          "Browser storage is unavailable: data cannot be saved.";

    DashboardTitle => "Панель показателей", "Dashboard";
    Visits => "Проверки", "Visits";
    NoVisits => "Завершённых проверок пока нет.", "No submitted audits yet.";
    ColDate => "Дата", "Date";
    ColLocation => "Точка", "Location";
    ColChecklist => "Чек-лист", "Checklist";
    ColScore => "Оценка", "Score";
    NoScore => "—", "—";

    SettingsTitle => "Настройки", "Settings";
    Language => "Язык", "Language";

    UpdateAvailable => "Доступна новая версия приложения. Черновики сохранятся.", "A new version of the app is ready. Drafts are kept.";
    ReloadToUpdate => "Обновить", "Reload to update";
    UpgradeBlocked => "Закройте другие вкладки ServiceLens, чтобы завершить обновление хранилища.",
                      "Close other ServiceLens tabs to finish upgrading the storage.";
    StorageHeading => "Хранилище на устройстве", "Storage on this device";
    StoragePersistent => "Браузер не удалит данные при нехватке места.", "The browser will not clear the data when space runs low.";
    StorageNotPersistent => "Браузер может удалить данные при нехватке места: регулярно делайте резервную копию.",
                            "The browser may clear the data when space runs low: export a backup regularly.";
    StorageUnknown => "Браузер не сообщает, сохранит ли он данные.", "The browser does not say whether it keeps the data.";
    StorageNearlyFull => "Хранилище почти заполнено: экспортируйте и удалите старые данные.",
                         "Storage is nearly full: export and delete old data.";
    LinkBroken => "Эту ссылку нельзя открыть", "This link cannot be opened";
    LinkDraftRefused => "Ссылка содержит неопубликованную версию анкеты. Попросите прислать ссылку на опубликованную.",
                        "The link carries an unpublished version. Ask for a link to the published one.";
    LinkVersionClash => "На этом устройстве уже есть другая анкета с этим номером версии; ничего не изменено.",
                        "This device already has a different questionnaire under this version number; nothing was changed.";
    LinkBuiltInDiffers => "Анкета в этой ссылке отличается от встроенного шаблона с тем же именем; ничего не изменено. Попросите новую ссылку.", "This link's questionnaire differs from the built-in template of the same name; nothing was changed. Ask for a new link.";
    StartFilling => "Начать", "Start";
    StartSurvey => "Начать опрос", "Start the survey";
    ThankYou => "Спасибо! Ваши ответы сохранены.", "Thank you! Your answers are saved.";
    OwnPhoneNotice => "Ответы сохранены только на этом телефоне: в магазин они попадут, когда появится синхронизация.",
                      "Your answers are kept on this phone only: they reach the shop once syncing is available.";
    ShareLinks => "Ссылки для заполнения", "Links for filling";
    LinkForShoppers => "Ссылка для тайных покупателей и сотрудников", "Link for shoppers and staff";
    LinkForCustomers => "Ссылка для клиентов (опрос)", "Link for customers (survey)";
    FailedItems => "Не выполнены:", "Failed items:";
    JumpToSection => "Перейти к разделу", "Jump to section";
    OutboxTitle => "Результаты к отправке", "Results to send";
    OutboxIntro => "Завершённые проверки и формы сохранены на этом телефоне, пока вы их не удалите. Отправка — это один файл со всеми ответами и фото для руководителя.", "Finished audits and forms are saved on this phone until you delete them. Sending makes one file with every answer and photo for your manager.";
    NothingToSend => "Завершённых результатов пока нет.", "No finished results yet.";
    ColStatus => "Статус", "Status";
    NotSent => "ещё не отправлено", "not sent yet";
    ExportedStatus => "отправлено файлом", "sent as a file";
    SubmittedSaved => "Готово: результат сохранён на этом телефоне", "Done: the result is saved on this phone";
    SendResult => "Отправить результат", "Send the result";
    SendFileHow => "Телефон предложит, чем отправить: выберите мессенджер или почту руководителя. Если не предложит, файл сохранится в «Загрузки» — отправьте этот файл. Руководитель откроет его в ServiceLens: «Импорт и экспорт» → «Выбрать файлы».",
                   "The phone offers apps to send it with: choose your manager's messenger or e-mail. If it offers none, the file is saved to Downloads: send that file. Your manager opens it in ServiceLens under Import and export → Choose files.";
    SendsItself => "Этот результат сам уйдёт в магазин, как только телефон будет в сети: ничего делать не нужно.", "This result goes to the shop by itself as soon as the phone is online: there is nothing to do.";
    AlreadySentAsFile => "Этот результат уже отправлен файлом.", "This result has already been sent as a file.";
    CopyLink => "Копировать", "Copy";
    ShareLink => "Поделиться", "Share";
    ShowQr => "QR-код", "QR code";
    LinkCopied => "Ссылка скопирована.", "The link is copied.";
    CopyFailed => "Не удалось скопировать: выделите ссылку и скопируйте её вручную.", "Could not copy: select the link and copy it by hand.";
    ShareFailed => "Не удалось открыть меню «Поделиться»: скопируйте ссылку.", "The share menu did not open: copy the link instead.";
    LinkQrTooDense => "Для такой длинной ссылки QR-код слишком плотный: телефон может его не считать. Сделайте короткую ссылку.", "For a link this long the QR code is too dense for a phone to read reliably. Make a short link.";
    ShortLinkForShoppers => "Короткая ссылка для тайных покупателей и сотрудников", "Short link for shoppers and staff";
    ShortLinkForCustomers => "Короткая ссылка для клиентов", "Short link for customers";
    LinksPostersAndKiosk => "Плакаты с QR-кодом и киоск — в разделе «QR и киоск»", "Posters with the QR code and the kiosk are under QR & kiosk";
    LinksNotPublished => "У этой версии анкеты нет ссылок: она не опубликована или её нет на этом устройстве.", "This questionnaire version has no links: it is not published, or this device does not have it.";
    OpenLinks => "Ссылки", "Links";
    QrOfLinkNamed => "QR-код ссылки", "QR code of the link";
    SavedEdit => "Сохранить", "Save";
    CancelEdit => "Отмена", "Cancel";
    ActionsOnItem => "Действия по этому пункту", "Actions on this item";
    ActionNoNote => "без описания", "no description";
    EditAction => "Изменить действие", "Edit the action";
    VisitReportTitle => "Отчёт о проверке", "Visit report";
    CriticalFailed => "Критичный пункт не выполнен", "Critical item failed";
    ItemsPassed => "Выполнено пунктов", "Items passed";
    VisitLength => "Длительность", "Length";
    ReportMade => "Отчёт составлен", "Report made";
    AllAnswers => "Все ответы", "All answers";
    ReportSections => "Оценка по разделам", "Score by section";
    ReportFailures => "Не выполнено: сначала критичные", "Failed: critical first";
    NothingFailed => "На этой проверке всё выполнено.", "Nothing failed on this visit.";
    OpenVisitReport => "Отчёт о проверке", "Visit report";
    DashReportTitle => "Отчёт: панель показателей", "Report: dashboard";
    AllLocations => "все точки", "all locations";
    AllEmployees => "все сотрудники", "all employees";
    AllQuestionnaires => "все анкеты", "all questionnaires";
    ShortLinkWithStores => "Сделать короткую ссылку — с вашими точками и сотрудниками", "Make a short link, with your stores and staff";
    SendSelected => "Отправить выбранные", "Send selected";
    SelectResult => "Выбрать", "Select";
    Sent => "Отправлено файлом: результаты отмечены как отправленные. Если телефон не предложил, чем отправить, файл сохранён в «Загрузки» — перешлите его руководителю в мессенджере или по почте.", "Sent as a file: the results are marked as sent. If the phone offered no app to send it with, the file is in Downloads: send it to your manager by messenger or e-mail.";
    NavQuestionnaires => "Анкеты", "Questionnaires";
    LibraryTitle => "Анкеты и чек-листы", "Questionnaires and checklists";
    BuiltInTemplates => "Готовые шаблоны", "Built-in templates";
    MyQuestionnaires => "Мои анкеты", "My questionnaires";
    NoQuestionnaires => "Своих анкет пока нет: начните с шаблона или с чистого листа.",
                        "No questionnaires of your own yet: start from a template or from scratch.";
    UseTemplate => "Создать по шаблону", "Use template";
    NewBlank => "Новая пустая анкета", "New blank questionnaire";
    Edit => "Редактировать", "Edit";
    EditNewVersion => "Новая версия", "New version";
    VersionLabel => "Версия", "Version";
    StatusDraft => "Черновик", "Draft";
    StatusPublished => "Опубликована", "Published";

    KindAudit => "Проверка (тайный покупатель)", "Audit (mystery shopper)";
    KindSurvey => "Опрос клиентов", "Customer survey";
    KindComplaint => "Рекламация", "Complaint";
    KindOpsReport => "Операционный отчёт", "Ops report";

    EditorTitle => "Редактор анкеты", "Questionnaire editor";
    QuestionnaireKind => "Тип анкеты", "Questionnaire type";
    TitleRu => "Название (русский)", "Title (Russian)";
    TitleEn => "Название (английский)", "Title (English)";
    DescriptionRu => "Описание (русский)", "Description (Russian)";
    DescriptionEn => "Описание (английский)", "Description (English)";
    PublicWording => "Что видят отвечающие", "What the people answering see";
    PublicWordingHelp => "Название и описание выше видите только вы. Если здесь пусто, отвечающие видят название и описание.",
                         "Only you see the title and description above. Left empty, the people answering see those instead.";
    PublicTitleRu => "Заголовок для отвечающих (русский)", "Heading for the people answering (Russian)";
    PublicTitleEn => "Заголовок для отвечающих (английский)", "Heading for the people answering (English)";
    PublicIntroRu => "Вступление для отвечающих (русский)", "Introduction for the people answering (Russian)";
    PublicIntroEn => "Вступление для отвечающих (английский)", "Introduction for the people answering (English)";
    SectionTitleRu => "Название раздела (русский)", "Section title (Russian)";
    SectionTitleEn => "Название раздела (английский)", "Section title (English)";
    SectionWeight => "Вес раздела", "Section weight";
    CriticalRuleLabel => "Провал критичного пункта", "Failed critical item";
    CriticalZeroSection => "обнуляет раздел", "zeroes the section";
    CriticalZeroVisit => "обнуляет всю проверку", "zeroes the whole visit";
    QuestionTextRu => "Текст вопроса (русский)", "Question text (Russian)";
    QuestionTextEn => "Текст вопроса (английский)", "Question text (English)";
    HelpRu => "Подсказка (русский)", "Help text (Russian)";
    HelpEn => "Подсказка (английский)", "Help text (English)";
    QuestionTypeLabel => "Тип вопроса", "Question type";
    Required => "Обязательный", "Required";
    Weight => "Вес", "Weight";
    Critical => "Критичный", "Critical";
    NaAllowed => "Можно ответить «Н/П»", "N/A allowed";
    CommentAllowed => "Можно оставить комментарий", "Comment allowed";
    PhotoAllowed => "Можно приложить фото", "Photo allowed";
    Options => "Варианты ответа", "Options";
    OptionLabelRu => "Вариант (русский)", "Option (Russian)";
    OptionLabelEn => "Вариант (английский)", "Option (English)";
    OptionPoints => "Баллы", "Points";
    AddOption => "Добавить вариант", "Add option";
    RemoveOption => "Удалить вариант", "Remove option";
    AddSection => "Добавить раздел", "Add section";
    AddQuestion => "Добавить вопрос", "Add question";
    MoveUp => "Выше", "Move up";
    MoveDown => "Ниже", "Move down";
    Duplicate => "Дублировать", "Duplicate";
    Delete => "Удалить", "Delete";
    Undo => "Отменить", "Undo";
    Deleted => "Удалено", "Deleted";
    ShowIf => "Показывать, если", "Show if";
    ShowAlways => "всегда", "always";
    ConditionQuestion => "Вопрос условия", "Condition question";
    ConditionOperator => "Сравнение", "Comparison";
    ConditionValue => "Значение", "Value";
    AddCondition => "Добавить условие", "Add condition";
    RemoveCondition => "Убрать условие", "Remove condition";
    MatchAll => "все условия (и)", "all conditions (and)";
    MatchAny => "любое условие (или)", "any condition (or)";
    OpAnswered => "получен ответ", "is answered";
    MetricLabel => "Показатель (KPI)", "Feeds the KPI";
    MetricNone => "нет", "none";
    Importance => "Важность в CSI", "Importance in the CSI";
    UnitRu => "Единица измерения (русский)", "Unit (Russian)";
    UnitEn => "Единица измерения (английский)", "Unit (English)";
    NestedCondition => "сложное условие из файла", "nested condition from a file";
    Preview => "Предпросмотр на телефоне", "Phone preview";
    Publish => "Опубликовать", "Publish";
    Published => "Опубликовано: версия доступна для заполнения.", "Published: this version can now be filled.";
    FixBeforePublish => "Исправьте перед публикацией:", "Fix before publishing:";
    EditorSaved => "Изменения сохранены на устройстве.", "Changes are saved on this device.";
    ExportFile => "Скачать файл анкеты", "Download questionnaire file";
    ImportFile => "Загрузить файл анкеты", "Load questionnaire file";
    Imported => "Анкета загружена.", "Questionnaire loaded.";
    UntitledSection => "Новый раздел", "New section";
    UntitledQuestion => "Новый вопрос", "New question";
    Section => "Раздел", "Section";
    Question => "Вопрос", "Question";

    TypeYesNo => "Да / нет", "Yes / no";
    TypeScale5 => "Шкала 1–5", "Scale 1–5";
    TypeScale10 => "Шкала 1–10", "Scale 1–10";
    TypeNps => "NPS 0–10", "NPS 0–10";
    TypeCes => "Усилия клиента 1–7", "Customer effort 1–7";
    TypeSingleChoice => "Один вариант", "Single choice";
    TypeMultipleChoice => "Несколько вариантов", "Multiple choice";
    TypeNumber => "Число", "Number";
    TypeDuration => "Длительность", "Duration";
    TypeDateTime => "Дата и время", "Date and time";
    TypeShortText => "Короткий текст", "Short text";
    TypeLongText => "Длинный текст", "Long text";
    TypePhoto => "Фото", "Photo";
    TypeEmployeePicker => "Выбор сотрудника", "Employee";
    TypeLocationPicker => "Выбор точки", "Location";

    Comment => "Комментарий", "Comment";
    AddPhoto => "Добавить фото", "Add photo";
    Photos => "Фото", "Photos";
    DeletePhoto => "Удалить фото", "Delete photo";
    ContinueUnfinished => "Продолжить начатую", "Continue where you left off";
    OpenPhotoFullSize => "Открыть фото целиком", "Open the photo full size";
    ClosePhoto => "Закрыть", "Close";
    ConfirmDeletePhoto => "Удалить это фото? Его нельзя будет вернуть.", "Delete this photo? It cannot be brought back.";
    NotAPicture => "Этот файл не похож на фотографию", "This file does not look like a picture";
    Seconds => "секунд", "seconds";
    Minutes => "Минуты", "Minutes";
    ChooseOne => "Выберите…", "Choose…";
    // --- visit header, corrections, deleting (#5) ---
    VisitWhen => "Дата и время визита", "Visit date and time";
    IncidentWhen => "Когда это произошло", "When it happened";
    ReportWhen => "Дата и время отчёта", "Report date and time";
    InvalidDateTime => "Введите дату и время полностью", "Enter a complete date and time";
    EmployeeObserved => "Сотрудник, которого вы оценивали", "Employee observed";
    EmployeeConcerned => "Сотрудник, о котором обращение", "Employee concerned";
    ReportedBy => "Кто заполняет", "Filled in by";
    EmployeeNotListed => "— нет в списке —", "— not in the list —";
    DescribeEmployee => "Если сотрудника нет в списке, опишите его", "If the employee is not in the list, describe them";
    Amend => "Исправить (создать исправленную копию)", "Amend (make a corrected copy)";
    CorrectionDraft => "Это исправленная копия. Когда вы её отправите, она заменит исходный результат.", "This is a corrected copy. Once you submit it, it replaces the original result.";
    CorrectionOf => "Это исправленная копия: она заменяет исходный результат.", "This is a corrected copy: it replaces the original result.";
    OpenOriginal => "Открыть исходный", "Open the original";
    SupersededBy => "Этот результат заменён исправленной копией.", "This result has been replaced by a corrected copy.";
    OpenCorrection => "Открыть исправленную копию", "Open the corrected copy";
    DeleteVisit => "Удалить эту запись", "Delete this record";
    ConfirmDeleteVisit => "Удалить эту запись вместе с фото? Её нельзя будет вернуть.", "Delete this record with its photos? It cannot be brought back.";
    PeopleTitle => "Точки и сотрудники", "Locations and staff";
    LocationsHeading => "Точки", "Locations";
    EmployeesHeading => "Сотрудники", "Employees";
    LocationName => "Название точки", "Location name";
    NewLocation => "Новая точка", "New location";
    AddLocation => "Добавить точку", "Add location";
    EmployeeName => "Имя", "Name";
    EmployeeRole => "Должность", "Role";
    AnyLocation => "Любая точка", "Any location";
    AddEmployee => "Добавить сотрудника", "Add employee";
    NoEmployees => "Сотрудников пока нет.", "No employees yet.";
    ExportLocationsCsv => "Выгрузить точки (CSV)", "Export locations (CSV)";
    ImportLocationsCsv => "Загрузить точки из CSV", "Import locations from CSV";
    ExportEmployeesCsv => "Выгрузить сотрудников (CSV)", "Export employees (CSV)";
    ImportEmployeesCsv => "Загрузить сотрудников из CSV", "Import employees from CSV";
    ImportedRows => "Загружено", "Imported";
    ImportedNew => "новых", "new";
    ImportedChanged => "изменённых", "changed";
    SavedDone => "Сохранено", "Saved";
    ConfirmDeleteLocation => "Удалить точку", "Delete the location";
    ConfirmDeleteEmployee => "Удалить сотрудника", "Delete the employee";
    ManagePeople => "Точки и сотрудники", "Locations and staff";
    ExchangeTitle => "Импорт и экспорт", "Import and export";
    ImportHeading => "Импорт файлов", "Import files";
    ImportHelp => "Файлы результатов с телефонов тайных покупателей, резервные копии с других устройств и файлы анкет. Можно выбрать несколько сразу; повторный импорт того же файла ничего не меняет.", "Result files from shoppers' phones, backups from other devices and questionnaire files. Choose several at once; importing the same file again changes nothing.";
    ChooseFiles => "Выбрать файлы", "Choose files";
    OrDropFiles => "…или перетащите файлы сюда.", "…or drop files here.";
    Importing => "Импорт…", "Importing…";
    ImportReport => "Отчёт об импорте", "Import report";
    ImportNotStored => "Ничего не сохранено:", "Nothing was stored:";
    ExportHeading => "Экспорт", "Export";
    ExportEverything => "Выгружаются все данные этого устройства.", "Exports hold everything on this device.";
    ExportFiltered => "Выгружаются только ответы, выбранные фильтром панели.", "Exports hold only the responses the dashboard's filter picks.";
    ExportBackup => "Резервная копия (JSON)", "Backup (JSON)";
    ExportLongCsv => "Ответы построчно (CSV)", "One row per answer (CSV)";
    ExportWideCsv => "Анкеты построчно (CSV)", "One row per response (CSV)";
    ExportXlsx => "Книга Excel (XLSX)", "Excel workbook (XLSX)";
    ExportThisView => "Выгрузить эту выборку", "Export this view";
    ConfirmDeleteUnsent => "Эта запись ещё никуда не отправлена: её ответы есть только на этом устройстве. Всё равно удалить?", "This record has not been sent anywhere: its answers exist only on this device. Delete it anyway?";

    // --- dashboard (issue 7) ---
    DashFilters => "Фильтры", "Filters";
    DashPeriod => "Период", "Period";
    PeriodLast7 => "Последние 7 дней", "Last 7 days";
    PeriodLast30 => "Последние 30 дней", "Last 30 days";
    PeriodLast90 => "Последние 90 дней", "Last 90 days";
    PeriodThisMonth => "Этот месяц", "This month";
    PeriodPrevMonth => "Прошлый месяц", "Previous month";
    PeriodAll => "Всё время", "All time";
    PeriodCustom => "Свой период", "Custom range";
    DashFrom => "С", "From";
    DashTo => "По", "To";
    DashLocations => "Точки", "Locations";
    DashEmployees => "Сотрудники", "Employees";
    DashQuestionnaires => "Анкеты", "Questionnaires";
    DashAllSelected => "все", "all";
    DashTrendBy => "Шаг графика динамики", "Trend by";
    BucketDay => "День", "Day";
    BucketWeek => "Неделя", "Week";
    BucketMonth => "Месяц", "Month";
    ResetFilters => "Сбросить фильтры", "Reset filters";
    DashOverview => "Обзор показателей", "KPI overview";
    DashEmptyTitle => "Здесь пока пусто", "Nothing to count here yet";
    DashEmptyText => "Показатели появятся, когда придут ответы покупателей или результаты проверок за этот период. Дайте покупателям QR-код или начните проверку.", "The figures appear once customers' answers or audit results for this period come in. Give customers the QR code or start an audit.";
    OpenResponses => "Открыть ответы", "Open the responses";
    ChartLocationsByNps => "Точки по NPS", "Locations by NPS";
    ChartLocationsByCsat => "Точки по удовлетворённости (CSAT)", "Locations by customer satisfaction (CSAT)";
    ChartEmployeesBySurvey => "Сотрудники по отзывам покупателей о персонале", "Staff by what customers said about the staff";
    DashOperations => "Продажи и контакт-центр", "Sales and contact centre";
    DashNoResponses => "Под эти фильтры не попал ни один ответ.", "No responses match these filters.";
    KpiSampleSize => "Размер выборки", "Sample size";
    KpiInterval => "95% интервал", "95% interval";
    KpiChange => "К прошлому периоду", "Vs previous period";
    KpiSmallSample => "малая выборка", "small sample";
    KpiNoData => "нет данных", "no data";
    HowComputed => "Как это считается?", "How is this computed?";
    DefRange => "Диапазон", "Range";
    DefSource => "Источник данных", "Source";
    ShowAsTable => "Показать таблицей", "Show as a table";
    ChartTrend => "Динамика", "Trend";
    TrendKpi => "Показатель на графике", "KPI on the chart";
    ChartSections => "Оценки по разделам", "Section scores";
    ChartNps => "Ответы NPS 0–10", "NPS answers 0–10";
    NpsPromoters => "Промоутеры (9–10)", "Promoters (9–10)";
    NpsPassives => "Нейтральные (7–8)", "Passives (7–8)";
    NpsDetractors => "Критики (0–6)", "Detractors (0–6)";
    ChartLocations => "Рейтинг точек по оценке проверок", "Locations by audit score";
    ChartEmployees => "Лучший сотрудник: оценка проверок", "Best employee: audit score";
    ChartWeakSpots => "Слабые места: чаще всего не выполнено", "Weak spots: most often failed";
    ColKpi => "Показатель", "KPI";
    ColValue => "Значение", "Value";
    ColN => "n", "n";
    ColRank => "Место", "Rank";
    ColEmployee => "Сотрудник", "Employee";
    ColItem => "Пункт", "Item";
    ColFailed => "Не выполнено", "Failed";
    ColFailRate => "Доля невыполнения", "Fail rate";
    ColSection => "Раздел", "Section";
    ColBucket => "Период", "Period";
    ColAnswer => "Ответ", "Answer";
    ColCount => "Количество", "Count";
    ColResponseId => "Ответ (ID)", "Response ID";
    ColQuestionnaire => "Анкета", "Questionnaire";
    ColQuestionnaireId => "Анкета (ID)", "Questionnaire ID";
    ColLocationId => "Точка (ID)", "Location ID";
    ColEmployeeIds => "Сотрудник (ID)", "Employee ID";
    ColEmployeeNote => "Описание сотрудника", "Employee description";
    ColStartedAt => "Начато", "Started";
    ColSubmittedAt => "Завершено", "Submitted";
    ColDevice => "Устройство", "Device";
    ColQuestionId => "Вопрос (ID)", "Question ID";
    ColQuestion => "Вопрос", "Question";
    ColNumericValue => "Ответ числом", "Answer as a number";
    ColCiLow => "95% интервал: от", "95% interval: from";
    ColCiHigh => "95% интервал: до", "95% interval: to";
    ColFewAnswers => "Мало ответов", "Few responses";
    KpiSheet => "Показатели", "KPIs";
    ResponseDraft => "Черновик", "Draft";
    ResponseSubmitted => "Завершён", "Submitted";
    ResponseExported => "Отправлен файлом", "Sent as a file";
    NotRanked => "без места: мала выборка", "not ranked: small sample";
    MinRankNote => "Место получают только те, у кого не меньше 5 проверок.", "Only those with at least 5 audits get a rank.";
    ShowResponses => "Показать ответы", "Show responses";
    ResponsesTitle => "Ответы", "Responses";
    FailedItemFilter => "Не выполнен пункт", "Failed item";
    BackToDashboard => "Вернуться к панели", "Back to the dashboard";
    ResponseTitle => "Ответ", "Response";
    NoAnswer => "нет ответа", "no answer";
    ColComment => "Комментарий", "Comment";
    ResponsesShown => "Показаны последние", "Showing the latest";
    ColGroup => "Группа", "Group";
    ComplaintsTitle => "Журнал рекламаций", "Complaints log";
    ComplaintsResolved => "Решено", "Resolved";
    ComplaintsMedianTime => "Медиана времени решения", "Median time to resolve";
    ColCategory => "Категория", "Category";
    HoursShort => "ч", "h";
    PrintReport => "Печать отчёта", "Print report";
    DashRecentVisits => "Последние ответы под фильтр", "Latest responses for these filters";
    // --- customer surveys: distribution, posters, kiosk ---
    NavDistribute => "QR и киоск", "QR & kiosk";
    DistributeTitle => "Опросы клиентов: QR-коды, плакаты, киоск", "Customer surveys: QR codes, posters, kiosk";
    SurveyToDistribute => "Опрос", "Survey";
    NoSurveysToDistribute => "Нет опубликованных опросов. Опубликуйте опрос в разделе «Анкеты».", "No published surveys. Publish a survey under Questionnaires.";
    LocationToDistribute => "Точка", "Location";
    CustomerLinkLabel => "Ссылка для телефонов клиентов", "Link for customers' phones";
    QrCodeOfLink => "QR-код ссылки для клиентов", "QR code of the customers' link";
    QrVersionLabel => "Версия QR-кода", "QR code version";
    QrEclLabel => "Коррекция ошибок", "Error correction";
    QrEclM => "M (до 15 % кода может быть повреждено)", "M (up to 15% of the code may be damaged)";
    DownloadQrSvg => "Скачать QR-код (SVG)", "Download QR code (SVG)";
    DownloadQrPng => "Скачать QR-код (PNG)", "Download QR code (PNG)";
    QrTooBig => "Опрос слишком велик для QR-кода, который легко сканировать (нужна версия выше 20 при коррекции M). QR-код ниже ведёт на короткую ссылку.", "The survey is too big for an easily scanned QR code (it needs a version above 20 at error correction M). The QR code below carries a short link instead.";
    QrTooBigForAnyCode => "Ссылка не помещается даже в самый большой QR-код.", "The link does not fit even the largest QR code.";
    ShortLinkLabel => "Короткая ссылка", "Short link";
    ShortLinkHowTo => "Скачайте файл опроса и положите его на сервер рядом с приложением (в ту же папку, что и index.html) под этим именем. Без файла короткая ссылка не откроется.", "Download the survey file and put it on the web server next to the app (in the folder of index.html) under this name. The short link does not open without it.";
    ShortLinkFileName => "Имя файла", "File name";
    DownloadShortLinkFile => "Скачать файл опроса для короткой ссылки", "Download the survey file for the short link";
    OwnPhoneWarning => "Внимание: сборщик ответов не настроен, поэтому ответы клиентов с их собственных телефонов останутся на этих телефонах и к вам не попадут (синхронизация появится позже). Чтобы ответы сохранялись у вас, используйте режим киоска на своём планшете.", "Warning: no answer collector is configured, so answers given on customers' own phones stay on those phones and do not reach you (sync comes later). To keep the answers on your device, use kiosk mode on your own tablet.";
    PostersHeading => "Плакаты для печати", "Printable posters";
    PosterA4 => "Плакат A4", "A4 poster";
    PosterA5 => "Плакат A5", "A5 poster";
    PosterCallToAction => "Оцените наше обслуживание", "Rate our service";
    PosterScanHint => "Наведите камеру телефона на код: опрос займёт меньше минуты.", "Point your phone's camera at the code: the survey takes less than a minute.";
    PrintPoster => "Печать", "Print";
    BackToDistribution => "Назад к QR-кодам", "Back to QR codes";
    PosterNotFound => "Опрос для плаката не найден на этом устройстве.", "The poster's survey is not on this device.";
    KioskHeading => "Режим киоска", "Kiosk mode";
    KioskExplain => "Планшет в магазине показывает этот опрос клиент за клиентом и хранит ответы у себя. Выйти из киоска можно только с PIN менеджера.", "A tablet in the shop shows this survey customer after customer and keeps the answers. Leaving the kiosk needs the manager PIN.";
    StartKiosk => "Запустить киоск", "Start kiosk";
    KioskNeedsPin => "Сначала задайте PIN менеджера в Настройках.", "Set the manager PIN in Settings first.";
    ExitKiosk => "Выйти из киоска", "Leave kiosk";
    KioskNextSoon => "Сейчас откроется новый опрос.", "A new survey opens in a moment.";
    KioskSurveyMissing => "Опрос киоска не найден на этом устройстве.", "The kiosk's survey is not on this device.";
    PinPromptTitle => "Введите PIN менеджера", "Enter the manager PIN";
    PinPromptExplain => "Планшет в режиме киоска. Чтобы открыть другие экраны, введите PIN менеджера.", "This tablet is in kiosk mode. Enter the manager PIN to open other screens.";
    PinLabel => "PIN менеджера", "Manager PIN";
    Unlock => "Разблокировать", "Unlock";
    WrongPin => "Неверный PIN.", "Wrong PIN.";
    BackToKiosk => "Вернуться в киоск", "Back to the kiosk";
    KioskSettingsHeading => "Киоск", "Kiosk";
    NewPin => "Новый PIN менеджера (6–12 цифр)", "New manager PIN (6–12 digits)";
    CurrentPin => "Нынешний PIN менеджера", "Current manager PIN";
    RepeatPin => "Повторите PIN", "Repeat the PIN";
    SavePin => "Сохранить PIN", "Save PIN";
    PinSaved => "PIN сохранён.", "PIN saved.";
    PinIsSet => "PIN менеджера задан.", "The manager PIN is set.";
    PinNotSet => "PIN менеджера не задан.", "No manager PIN is set.";
    PinBadFormat => "PIN должен состоять из 6–12 цифр.", "The PIN must be 6 to 12 digits.";
    PinMismatch => "PIN-коды не совпадают.", "The PINs do not match.";
    IdleSecondsLabel => "Сброс неоконченного опроса в киоске через (секунд)", "Reset an unfinished kiosk survey after (seconds)";
    SaveIdleSeconds => "Сохранить время сброса", "Save reset time";
    IdleSecondsSaved => "Время сброса сохранено.", "Reset time saved.";
    IdleSecondsRange => "Введите целое число от 2 до 3600.", "Enter a whole number from 2 to 3600.";
    ShortLinkBroken => "Короткая ссылка повреждена.", "The short link is damaged.";
    ShortLinkFileMissing => "Файл опроса для этой ссылки не найден на сервере. Сообщите об этом сотрудникам.", "The survey file for this link is not on the server. Please tell the staff.";
    ShortLinkFileUnreadable => "Файл опроса для этой ссылки не удалось загрузить", "The survey file for this link could not be loaded";
    // --- corrective actions ---
    ActionsTitle => "Корректирующие действия", "Corrective actions";
    CreateAction => "Создать корректирующее действие", "Create corrective action";
    ActionFor => "Корректирующее действие", "Corrective action";
    ActionAssignee => "Ответственный", "Assignee";
    ActionDue => "Срок", "Due date";
    ActionNote => "Что сделать", "Note";
    SaveAction => "Сохранить действие", "Save action";
    ActionSaved => "Корректирующее действие сохранено.", "Corrective action saved.";
    ActionNeedsAssignee => "Укажите ответственного: сотрудника из списка или любое имя.", "Name an assignee: an employee from the list or anyone.";
    ActionBadDue => "Срок — не дата. Выберите день в календаре.", "The due date is not a date. Pick a day in the calendar.";
    ActionsOverdue => "Просрочено", "Overdue";
    ActionsAll => "Все действия", "All actions";
    ActionsNone => "Корректирующих действий пока нет. Их создают из невыполненного пункта проверки.", "No corrective actions yet. Create one from a failed item of an audit.";
    ActionStatusLabel => "Статус", "Status";
    ActionOpen => "Открыто", "Open";
    ActionDone => "Выполнено", "Done";
    ActionVerified => "Проверено", "Verified";
    MarkDone => "Отметить выполненным", "Mark done";
    VerifyAction => "Подтвердить", "Verify";
    FollowNotYet => "Следующая проверка этой точки ещё не оценивала пункт.", "No later audit of this location has checked the item yet.";
    FollowPasses => "На следующей проверке точки пункт выполнен.", "The item passes on the next audit of this location.";
    FollowFails => "На следующей проверке точки пункт снова не выполнен.", "The item still fails on the next audit of this location.";
    OpenSourceAudit => "Исходная проверка", "Source audit";
    OpenFollowAudit => "Следующая проверка", "Next audit";
    // --- dashboard: drill-down from charts, employee names, overdue (#7) ---
    SectionFilter => "Раздел", "Section";
    NpsScoreFilter => "Оценка NPS", "NPS answer";
    ChartClickHint => "Точка или столбец графика открывает ответы за ним; в таблице под графиком — те же ссылки.", "A point or bar of a chart opens the responses behind it; the table under the chart has the same links.";
    OverdueMark => "Просрочено: срок прошёл, действие не выполнено", "Overdue: past its due date and not done";

    // --- lean respondent page and kiosk links ---
    KioskLinkLabel => "Ссылка, которая запускает этот киоск на планшете", "Link that starts this kiosk on a tablet";
    KioskLinkExplain => "Эта ссылка запускает режим киоска на этом устройстве: опрос для клиента за клиентом, выход только с PIN менеджера.", "This link starts kiosk mode on this device: the survey for customer after customer, leaving only with the manager PIN.";
    // --- first-load budget: the manager's module loaded on demand ---
    ManagerModuleFailed => "Не удалось загрузить этот раздел приложения. Проверьте сеть и обновите страницу.", "This part of the app could not be loaded. Check the network and reload the page.";

    // --- conflicts: a person chooses between two copies of a record (#22, #19) ---
    ConflictsTitle => "Копии на выбор", "Copies to choose from";
    ConflictsIntro => "Эти записи пришли из файла или с другого устройства и отличаются от записей на этом устройстве. Ничего не решено за вас: выберите, какую копию оставить.", "These records came from a file or another device and differ from the ones on this device. Nothing was decided for you: choose which copy to keep.";
    ConflictsNone => "Выбирать не из чего: пришедшие копии совпадают с записями на этом устройстве.", "Nothing to choose: the copies that came match the records on this device.";
    ConflictsLink => "Выбрать между копиями", "Choose between the copies";
    ConflictField => "Поле", "Field";
    ConflictThisDevice => "На этом устройстве", "On this device";
    ConflictOtherCopy => "Другая копия", "The other copy";
    ConflictFrom => "Пришла с устройства", "Came from the device";
    ConflictKeepOurs => "Оставить копию этого устройства", "Keep this device's copy";
    ConflictTakeOther => "Взять другую копию", "Use the other copy";
    ConflictPublishedNote => "Опубликованную версию анкеты заменить нельзя: на неё опираются ответы. Чтобы изменить анкету, опубликуйте новую версию.", "A published version of a questionnaire cannot be replaced: answers rest on it. To change the questionnaire, publish a new version.";
    ConflictGone => "На этом устройстве такой записи больше нет.", "This device no longer holds this record.";
    ConflictChosen => "Выбор сохранён.", "Your choice is saved.";

    // --- sealed inbox: the manager's server, team key, pull and quarantine screens (#18) ---
    ShortFormLinkMake => "Сделать короткую ссылку", "Make a short link";
    ShortFormLinkExplain => "Анкета публикуется на сервере команды, а ссылка и QR-код становятся короткими: их можно отправить SMS или в мессенджере. Длинная ссылка выше работает и без сервера.", "The questionnaire is published on the team server, and the link and QR code become short enough for an SMS or a messenger. The long link above works without the server too.";
    ShortFormLinkLabel => "Короткая ссылка (SMS, мессенджеры)", "Short link (SMS, messengers)";
    ShortFormLinkQr => "QR-код короткой ссылки", "QR code of the short link";
    NavInbox => "Ответы с мест", "Field answers";
    InboxTitle => "Ответы с мест", "Answers from the field";
    InboxIntro => "Телефоны покупателей, планшеты-киоски и тайные покупатели отправляют ответы на сервер команды сами, запечатанными ключом команды. Прочитать их может только устройство менеджера с этим ключом.", "Customers' phones, kiosk tablets and mystery shoppers send their answers to the team's server by themselves, sealed with the team key. Only a manager's device holding that key can read them.";
    TeamServerHeading => "Сервер команды", "Team server";
    StaysOnDevice => "Адрес, имя и пароль хранятся только на этом устройстве: они не попадают ни в файлы, ни в ссылки.", "The address, name and password stay on this device: they go into no file and no link.";
    ServerUrlLabel => "Адрес сервера", "Server address";
    DatabaseNames => "Имена баз данных", "Database names";
    InboxDbLabel => "База входящих ответов", "Inbox database";
    FormsDbLabel => "База анкет", "Forms database";
    TeamDbLabel => "База команды", "Team database";
    ManagerUserLabel => "Имя менеджера на сервере", "Manager's name on the server";
    ManagerPasswordLabel => "Пароль менеджера на сервере", "Manager's password on the server";
    SaveServer => "Сохранить сервер", "Save server";
    ServerSaved => "Сервер сохранён на этом устройстве.", "The server is saved on this device.";
    TestConnection => "Проверить связь", "Test connection";
    ConnectionOk => "Сервер ответил, входящие ответы читаются.", "The server answered and the inbox can be read.";
    SetUpHeading => "Настройка сервера", "Setting up the server";
    SetUpHelp => "Создаёт на сервере базы, их права доступа и правила записи. Нужно имя и пароль администратора сервера; пароль используется один раз и нигде не хранится. Повторная настройка ничего не ломает.", "Creates the databases on the server, their access rights and write rules. It needs the server administrator's name and password; the password is used once and kept nowhere. Setting up again breaks nothing.";
    AdminUserLabel => "Имя администратора сервера", "Server administrator's name";
    AdminPasswordLabel => "Пароль администратора сервера", "Server administrator's password";
    SetUpServer => "Настроить сервер", "Set up the server";
    ServerSetUp => "Сервер настроен: базы, права и правила на месте.", "The server is set up: databases, rights and rules are in place.";
    TeamKeyHeading => "Ключ команды", "Team key";
    TeamKeyExplain => "Ответы запечатываются открытой частью ключа; открыть их может только секретная часть, которая хранится на этом устройстве.", "Answers are sealed with the key's public half; only its secret half, kept on this device, opens them.";
    KeyFileWarning => "Без файла ключа ответы нельзя будет прочитать, если это устройство потеряется или сломается. Сохраните файл ключа в надёжном месте и запомните его пароль.", "Without the key file the answers cannot be read if this device is lost or broken. Save the key file somewhere safe and remember its password.";
    MakeTeamKey => "Создать ключ команды", "Make the team key";
    CurrentKeyLabel => "Текущий ключ:", "Current key:";
    SaveKeyFileHeading => "Файл ключа", "Key file";
    PassphraseLabel => "Пароль для файла ключа", "Password for the key file";
    PassphraseAgainLabel => "Пароль для файла ключа ещё раз", "Password for the key file again";
    PassphrasesDiffer => "Пароли не совпадают.", "The passwords differ.";
    SaveKeyFile => "Сохранить файл ключа", "Save the key file";
    KeyFileDownloaded => "Файл ключа скачан. Убедитесь, что он сохранён в надёжном месте (не только на этом устройстве), и подтвердите.", "The key file was downloaded. Make sure it is kept somewhere safe (not only on this device), then confirm.";
    ConfirmKeyFileSaved => "Файл ключа сохранён в надёжном месте", "The key file is kept somewhere safe";
    KeyFileSaved => "Файл ключа сохранён. Теперь можно включить приём ответов.", "The key file is saved. The inbox can now be turned on.";
    OlderKeysLabel => "Старые ключи (остаются, чтобы читать прежние ответы):", "Older keys (kept to read earlier answers):";
    NewKeyHeading => "Новый ключ", "New key";
    NewKeyExplain => "Новые ссылки будут запечатывать ответы новым ключом; старые ключи остаются на устройстве и читают прежние ответы. Сохраните файл и нового ключа.", "New links seal answers with the new key; the old keys stay on this device and read earlier answers. Save the new key's file too.";
    MakeNewTeamKey => "Создать новый ключ", "Make a new key";
    ImportKeyHeading => "Ключ с другого устройства", "Key from another device";
    ImportKeyHelp => "Чтобы читать ответы и на этом устройстве, выберите файл ключа, сохранённый на другом устройстве менеджера, и введите его пароль.", "To read the answers on this device too, choose the key file saved on another manager's device and type its password.";
    KeyFileLabel => "Файл ключа", "Key file";
    ImportPassphraseLabel => "Пароль файла ключа", "The key file's password";
    ImportKey => "Загрузить ключ", "Load the key";
    ChooseKeyFile => "Выберите файл ключа.", "Choose the key file.";
    KeyImported => "Ключ загружен на это устройство.", "The key is loaded on this device.";
    KeyAlreadyHere => "Этот ключ уже есть на этом устройстве.", "This device already holds this key.";
    Working => "Подождите…", "Working…";
    InboxOnHeading => "Приём ответов", "Receiving answers";
    InboxIsOn => "Приём включён: новые ссылки и QR-коды отправляют ответы на сервер команды.", "Receiving is on: new links and QR codes send their answers to the team's server.";
    InboxIsOff => "Приём выключен: ответы остаются на устройствах и передаются файлами.", "Receiving is off: answers stay on the devices and travel as files.";
    TurnInboxOn => "Включить приём ответов", "Turn on receiving";
    TurnInboxOff => "Выключить приём ответов", "Turn off receiving";
    SaveServerFirst => "Сначала сохраните сервер команды.", "Save the team server first.";
    PullHeading => "Новые ответы", "New answers";
    PullNeedsInboxOn => "Ответы загружаются, когда приём включён.", "Answers are loaded while receiving is on.";
    GetNewAnswers => "Получить новые ответы", "Get new answers";
    Pulling => "Загружаем ответы…", "Loading answers…";
    QuarantineHeading => "Отложено (не учитывается)", "Set aside (not counted)";
    QuarantineHelp => "Документы с сервера, которые не удалось принять как ответ: причина, номер документа и время. В отчётах они не учитываются.", "Documents from the server that could not be taken as an answer: the reason, the document's id and the time. Reports do not count them.";
    QuarantineEmpty => "Ничего не отложено.", "Nothing is set aside.";

    // --- sealed inbox: the customer's thank-you after delivery (delivery::Status::customer_msg) ---
    FormLinkOffline => "Не удалось загрузить анкету: нет связи. Проверьте интернет и откройте ссылку ещё раз.", "The questionnaire could not be loaded: no connection. Check the internet and open the link again.";
    FormLinkServerFailed => "Не удалось загрузить анкету: сервер магазина не ответил как надо. Попробуйте позже.", "The questionnaire could not be loaded: the shop's server did not answer properly. Try again later.";
    AnswersReachedShop => "Ваши ответы дошли до магазина.", "Your answers have reached the shop.";
    AnswersSentWhenOnline => "Ваши ответы сохранены на этом телефоне и будут отправлены, когда он будет в сети.", "Your answers are saved on this phone and will be sent when it is online.";
    AnswersNotAccepted => "Ваши ответы сохранены на этом телефоне, но отправить их не получилось. Пожалуйста, скажите об этом сотрудникам.", "Your answers are saved on this phone, but they could not be sent. Please tell the staff.";

    // --- sealed inbox: field devices' delivery, kiosk and shopper outbox (#18) ---
    ColDelivery => "До магазина", "To the shop";
    DeliveryReached => "Дошло до магазина", "Reached the shop";
    DeliveryWaiting => "Ждёт отправки", "Waiting to be sent";
    DeliveryNotAccepted => "Не принято", "Not accepted";
    DeliveryFileOnly => "Только файлом: ссылка не называла сервер магазина", "By file only: the link named no shop server";
    DeliveryTryAgain => "Отправить ещё раз", "Try again";

    // --- team sync (#19) ---
    SyncTitle => "Синхронизация команды", "Team sync";
    SyncIntro => "Устройства менеджеров обмениваются отправленными результатами, опубликованными анкетами, точками, сотрудниками и задачами через базу команды на сервере команды. Черновики остаются на своём устройстве.", "Managers' devices share submitted results, published questionnaires, places, staff and corrective actions through the team database on the team server. Drafts stay on their own device.";
    SyncNeedsServer => "Сначала укажите сервер команды: синхронизация идёт через его базу команды.", "Set up the team server first: sync goes through its team database.";
    SetUpTeamServer => "Указать сервер команды", "Set up the team server";
    ChangeTeamServer => "Изменить сервер команды", "Change the team server";
    SyncConnectionOk => "Сервер ответил, база команды доступна.", "The server answered and the team database can be used.";
    SyncStateHeading => "Синхронизация", "Sync";
    SyncIsOn => "Синхронизация включена: пока приложение открыто и есть интернет, устройство синхронизируется само.", "Sync is on: while the app is open and online, this device syncs by itself.";
    SyncIsOff => "Синхронизация выключена.", "Sync is off.";
    SyncNever => "Это устройство ещё не синхронизировалось.", "This device has not synced yet.";
    SyncNow => "Синхронизировать сейчас", "Sync now";
    TurnSyncOn => "Включить синхронизацию", "Turn sync on";
    TurnSyncOff => "Выключить синхронизацию", "Turn sync off";
    SyncSending => "Отправка изменений…", "Sending changes…";
    SyncReceiving => "Получение изменений…", "Receiving changes…";
    SyncSaving => "Сохранение на устройстве…", "Saving on this device…";
    JoinTitle => "Подключение к команде", "Joining the team";
    JoinHoldsPassword => "В этой ссылке пароль менеджера от сервера команды. Передавайте её только менеджерам команды, лично или в закрытом чате, и не публикуйте.", "This link holds the manager's password for the team server. Give it only to the team's managers, in person or in a private chat, and never post it.";
    JoinReplaces => "На этом устройстве уже сохранён сервер команды: ссылка заменит его.", "This device already has a team server saved: the link replaces it.";
    JoinUse => "Использовать эти настройки на этом устройстве", "Use these settings on this device";
    JoinDone => "Настройки сохранены, синхронизация включена.", "The settings are saved and sync is on.";
    JoinHeading => "Ещё одно устройство менеджера", "Another manager's device";
    JoinExplain => "Откройте эту ссылку или отсканируйте QR-код на другом устройстве менеджера: оно получит сервер, базы и вход без ввода вручную.", "Open this link or scan the QR code on another manager's device: it gets the server, databases and sign-in without typing them.";
    JoinShow => "Показать ссылку для подключения", "Show the join link";
    JoinLinkLabel => "Ссылка для подключения", "Join link";
    JoinQr => "QR-код ссылки для подключения", "QR code of the join link";
    ColTeamServer => "На сервере команды", "On the team server";
    TeamServerReached => "Дошло", "Reached it";
    TeamServerWaiting => "Ждёт синхронизации", "Waiting for sync";
    SyncNothingLost => "Ничего не потеряно: синхронизация продолжится с того же места.", "Nothing was lost: sync will resume from the same point.";
    SyncRefusedHeading => "Не принято с сервера команды", "Not taken from the team server";
    SyncRefusedExplain => "Эти документы есть на сервере, но на этом устройстве их нет среди записей. Каждая синхронизация пробует их снова: например, после обновления приложения или когда придёт анкета, к которой относится ответ.", "These documents are on the server but are not among this device's records. Every sync tries them again: for example after the app is updated, or once the questionnaire an answer belongs to arrives.";
}

/// What one sync did.
pub fn sync_done(lang: Lang, sent: u64, received: u64, conflicts: usize) -> String {
    let mut text = match lang {
        Lang::Ru => format!("Синхронизировано. Отправлено: {sent}. Получено: {received}."),
        Lang::En => format!("Synced: {sent} sent, {received} received."),
    };
    if conflicts > 0 {
        text.push_str(&match lang {
            Lang::Ru => format!(" Записей с разными копиями: {conflicts} — выберите нужную на экране «Копии на выбор»."),
            Lang::En => format!(" {conflicts} records have two copies: choose one on the “Copies to choose from” screen."),
        });
    }
    text
}

/// What a join link brings.
pub fn join_offer(lang: Lang, url: &str, db: &str, user: &str) -> String {
    match lang {
        Lang::Ru => format!("Ссылка подключает это устройство к серверу {url}, база команды {db}, пользователь «{user}»."),
        Lang::En => format!("The link connects this device to the server {url}, team database {db}, as the user “{user}”."),
    }
}

/// Which server and database sync uses.
pub fn sync_server(lang: Lang, url: &str, db: &str) -> String {
    match lang {
        Lang::Ru => format!("Сервер: {url}, база команды: {db}."),
        Lang::En => format!("Server: {url}, team database: {db}."),
    }
}

/// On a checklist link opened again: the audit left unfinished from it.
pub fn unfinished_since(lang: Lang, when: &str) -> String {
    match lang {
        Lang::Ru => format!("Вы уже начали эту проверку ({when}) и не закончили её."),
        Lang::En => format!("You started this audit ({when}) and have not finished it."),
    }
}

pub fn sync_last(lang: Lang, when: &str) -> String {
    match lang {
        Lang::Ru => format!("Последняя синхронизация: {when}."),
        Lang::En => format!("Last synced: {when}."),
    }
}

pub fn sync_waiting(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ru => format!("Ждут отправки: {n}."),
        Lang::En => format!("Waiting to go out: {n}."),
    }
}

/// The key file's password rule.
pub fn passphrase_rule(lang: Lang, min_chars: usize) -> String {
    match lang {
        Lang::Ru => format!(
            "Файл ключа защищается паролем не короче {min_chars} символов. Без пароля файл не откроется."
        ),
        Lang::En => format!(
            "The key file is protected by a password of at least {min_chars} characters. Without it the file does not open."
        ),
    }
}

/// What one "Get new answers" did.
pub fn pulled_answers(lang: Lang, added: usize, set_aside: usize) -> String {
    match lang {
        Lang::Ru => format!("Добавлено ответов: {added}. Отложено: {set_aside}."),
        Lang::En => format!("Added {added} answers, {set_aside} set aside."),
    }
}

/// The team server refused to publish a short link.
pub fn form_publish_refused(lang: Lang, status: u16, reason: &str) -> String {
    match lang {
        Lang::Ru => format!(
            "Сервер команды не принял анкету ({status}: {reason}). Проверьте имя и пароль менеджера на экране «Ответы с мест»."
        ),
        Lang::En => format!(
            "The team server did not accept the questionnaire ({status}: {reason}). Check the manager's name and password on the Field answers screen."
        ),
    }
}

/// "Used 1.2 MB of 300 MB (0.4%)".
pub fn storage_usage(lang: Lang, used_bytes: f64, quota_bytes: f64) -> String {
    let mb = |b: f64| format_decimal(b / 1_000_000.0, 1, lang);
    let share = if quota_bytes > 0.0 {
        100.0 * used_bytes / quota_bytes
    } else {
        0.0
    };
    let share = format_decimal(share, 1, lang);
    match lang {
        Lang::Ru => format!(
            "Занято {} МБ из {} МБ ({share}%)",
            mb(used_bytes),
            mb(quota_bytes)
        ),
        Lang::En => format!(
            "Used {} MB of {} MB ({share}%)",
            mb(used_bytes),
            mb(quota_bytes)
        ),
    }
}

/// Storage is "nearly full" from this share of the quota on.
pub const STORAGE_WARN_SHARE: f64 = 0.8;

/// A file size for people: "830 KB", "1,2 МБ".
/// After too many wrong PINs: how long until the next try.
pub fn pin_wait(lang: Lang, wait_ms: u64) -> String {
    let secs = wait_ms.div_ceil(1000);
    let (n, ru_unit, en_unit) = if secs < 120 {
        (secs, "с", "s")
    } else {
        (secs.div_ceil(60), "мин", "min")
    };
    match lang {
        Lang::Ru => format!("Слишком много неверных PIN. Попробуйте снова через {n} {ru_unit}."),
        Lang::En => format!("Too many wrong PINs. Try again in {n} {en_unit}."),
    }
}

pub fn file_size(lang: Lang, bytes: u64) -> String {
    let kb = bytes as f64 / 1000.0;
    match (lang, kb < 1000.0) {
        (Lang::Ru, true) => format!("{} КБ", format_decimal(kb, 0, lang)),
        (Lang::En, true) => format!("{} KB", format_decimal(kb, 0, lang)),
        (Lang::Ru, false) => format!("{} МБ", format_decimal(kb / 1000.0, 1, lang)),
        (Lang::En, false) => format!("{} MB", format_decimal(kb / 1000.0, 1, lang)),
    }
}

/// "The visit took 12 min", from start to submit.
pub fn visit_duration(lang: Lang, millis: i64) -> String {
    let minutes = (millis.max(0) + 30_000) / 60_000;
    let (h, m) = (minutes / 60, minutes % 60);
    match (lang, h) {
        (Lang::Ru, 0) => format!("Визит длился {m} мин"),
        (Lang::En, 0) => format!("The visit took {m} min"),
        (Lang::Ru, _) => format!("Визит длился {h} ч {m} мин"),
        (Lang::En, _) => format!("The visit took {h} h {m} min"),
    }
}

/// "Answered 3 of 6".
pub fn steps_done(lang: Lang, done: usize, total: usize) -> String {
    match lang {
        Lang::Ru => format!("Сделано {done} из {total}"),
        Lang::En => format!("{done} of {total} done"),
    }
}

pub fn answered_of(lang: Lang, answered: usize, total: usize) -> String {
    match lang {
        Lang::Ru => format!("Отвечено {answered} из {total}"),
        Lang::En => format!("Answered {answered} of {total}"),
    }
}

/// A day as a person reads it: "3 декабря 2026", "3 Dec 2026". Months are
/// written out so that 03.12 and 12/03 cannot be mistaken for each other.
pub fn day_text(lang: Lang, year: i32, month: u8, day: u8) -> String {
    const RU: [&str; 12] = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ];
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let i = usize::from(month.clamp(1, 12) - 1);
    match lang {
        Lang::Ru => format!("{day} {} {year}", RU[i]),
        Lang::En => format!("{day} {} {year}", EN[i]),
    }
}

/// A moment as a person reads it: "3 декабря 2026, 14:05", "3 Dec 2026,
/// 14:05" (24-hour clock in both).
pub fn moment_text(lang: Lang, (year, month, day): (i32, u8, u8), hour: u8, minute: u8) -> String {
    format!(
        "{}, {hour:02}:{minute:02}",
        day_text(lang, year, month, day)
    )
}

/// "12 of 15".
pub fn items_passed(lang: Lang, passed: usize, of: usize) -> String {
    match lang {
        Lang::Ru => format!("{passed} из {of}"),
        Lang::En => format!("{passed} of {of}"),
    }
}

/// An audit score as the screens write it: two decimals, or a dash when
/// nothing scored was answered.
pub fn score_text(score: Option<f64>, lang: Lang) -> String {
    score.map_or_else(
        || Msg::NoScore.text(lang).to_owned(),
        |s| format_decimal(s, 2, lang),
    )
}

/// A link longer than a messenger message takes.
pub fn link_too_long(lang: Lang, chars: usize) -> String {
    let n = format_decimal(chars as f64, 0, lang);
    let max = format_decimal(crate::distribution::MESSENGER_MAX_CHARS as f64, 0, lang);
    match lang {
        Lang::Ru => format!("В ссылке {n} символов — больше, чем берёт сообщение мессенджера ({max}): она дойдёт обрезанной. Отправьте её по почте или сделайте короткую ссылку."),
        Lang::En => format!("This link has {n} characters, more than a messenger message takes ({max}): it would arrive cut off. Send it by e-mail, or make a short link."),
    }
}

/// `value` rounded exactly as [`format_decimal`] writes it with `decimals`
/// places (half to even on the binary value: 6.25 → 6.2), for a number a
/// spreadsheet keeps as a number but must read as the screen does.
pub fn round_as_shown(value: f64, decimals: usize) -> f64 {
    if !value.is_finite() {
        return value;
    }
    format!("{value:.decimals$}").parse().unwrap_or(value)
}

/// `value` with `decimals` places, grouped by thousands, in the language's
/// convention: `1 234,56` (Russian, narrow no-break space) or `1,234.56`.
pub fn format_decimal(value: f64, decimals: usize, lang: Lang) -> String {
    if !value.is_finite() {
        return "—".to_owned();
    }
    let (group, point) = match lang {
        Lang::Ru => ('\u{202F}', ','),
        Lang::En => (',', '.'),
    };
    let plain = format!("{:.*}", decimals, value.abs());
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let mut out = String::with_capacity(plain.len() + 4);
    // "-0.00" would read as a negative zero score.
    if value < 0.0 && plain.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        for m in Msg::ALL {
            for l in Lang::ALL {
                assert!(!m.text(l).trim().is_empty(), "{m:?} has no {l:?} text");
            }
        }
    }

    #[test]
    fn rounding_as_shown_agrees_with_the_text() {
        for (x, d) in [
            (6.25, 1),
            (53.125, 1),
            (0.125, 2),
            (-0.05, 1),
            (1234.5678, 2),
            (7.0, 0),
        ] {
            let shown = round_as_shown(x, d);
            assert_eq!(
                format_decimal(shown, d, Lang::En),
                format_decimal(x, d, Lang::En)
            );
            assert_eq!(
                format!("{shown}").split('.').nth(1).map_or(0, str::len) <= d,
                true
            );
        }
        assert_eq!(round_as_shown(6.25, 1), 6.2);
        assert!(round_as_shown(f64::NAN, 1).is_nan());
    }

    #[test]
    fn browser_language_picks_first_known() {
        assert_eq!(Lang::from_browser(["ru-RU", "en-US"]), Lang::Ru);
        assert_eq!(Lang::from_browser(["de-DE", "en-GB", "ru"]), Lang::En);
        assert_eq!(Lang::from_browser(["EN_us"]), Lang::En);
        assert_eq!(Lang::from_browser(["fr"]), Lang::En);
        assert_eq!(Lang::from_browser([]), Lang::En);
    }

    #[test]
    fn visit_durations_round_to_minutes() {
        assert_eq!(
            visit_duration(Lang::En, 12 * 60_000 + 29_000),
            "The visit took 12 min"
        );
        assert_eq!(
            visit_duration(Lang::Ru, 75 * 60_000),
            "Визит длился 1 ч 15 мин"
        );
        assert_eq!(visit_duration(Lang::En, -5), "The visit took 0 min");
    }

    #[test]
    fn file_sizes_read_naturally() {
        assert_eq!(file_size(Lang::En, 830_400), "830 KB");
        assert_eq!(file_size(Lang::Ru, 1_260_000), "1,3 МБ");
        assert_eq!(file_size(Lang::En, 999), "1 KB");
    }

    #[test]
    fn storage_usage_reads_in_both_languages() {
        assert_eq!(
            storage_usage(Lang::En, 1_234_567.0, 300_000_000.0),
            "Used 1.2 MB of 300.0 MB (0.4%)"
        );
        assert_eq!(
            storage_usage(Lang::Ru, 1_234_567.0, 300_000_000.0),
            "Занято 1,2 МБ из 300,0 МБ (0,4%)"
        );
        assert_eq!(
            storage_usage(Lang::En, 0.0, 0.0),
            "Used 0.0 MB of 0.0 MB (0.0%)"
        );
    }

    #[test]
    fn decimals_follow_the_language() {
        assert_eq!(format_decimal(66.666_666, 2, Lang::En), "66.67");
        assert_eq!(format_decimal(66.666_666, 2, Lang::Ru), "66,67");
        assert_eq!(format_decimal(1234567.5, 1, Lang::En), "1,234,567.5");
        assert_eq!(format_decimal(1234.0, 0, Lang::Ru), "1\u{202F}234");
        assert_eq!(format_decimal(-40.0, 0, Lang::En), "-40");
        assert_eq!(format_decimal(-0.001, 2, Lang::En), "0.00");
        assert_eq!(format_decimal(f64::NAN, 2, Lang::En), "—");
    }
}
