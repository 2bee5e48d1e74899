//! The definitions the UI shows beside each KPI: name, formula, range and
//! where the numbers come from, in Russian and English.

use crate::i18n::Lang;

/// Every KPI the dashboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KpiId {
    AuditScore,
    CriticalFailures,
    Nps,
    Csat,
    Csi,
    CesMean,
    CesEasyShare,
    InkStaff,
    InkOffice,
    InkProduct,
    Loyalty,
    Coverage,
    Conversion,
    ServiceLevel,
    AbandonRate,
    Aht,
    Wait,
    FirstResponse,
    Resolution,
    Complaints,
    ComplaintsResolved,
    TimeToResolve,
    EmployeeRanking,
    WeakSpots,
}

/// A static text in both UI languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bilingual {
    pub ru: &'static str,
    pub en: &'static str,
}

impl Bilingual {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ru => self.ru,
            Lang::En => self.en,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Definition {
    pub id: KpiId,
    pub name: Bilingual,
    pub formula: Bilingual,
    pub range: Bilingual,
    pub source: Bilingual,
}

macro_rules! b {
    ($ru:literal, $en:literal) => {
        Bilingual { ru: $ru, en: $en }
    };
}

const SMALL: Bilingual = b!(
    "При n < 30 показатель помечается как «малая выборка».",
    "Below n = 30 the figure is flagged \"small sample\"."
);

/// The note on sample size that applies to every KPI.
pub fn small_sample_note() -> Bilingual {
    SMALL
}

pub const DEFINITIONS: &[Definition] = &[
    Definition {
        id: KpiId::AuditScore,
        name: b!("Оценка проверки", "Audit score"),
        formula: b!(
            "Пункт = набранные баллы / возможные; раздел = Σ(вес пункта × оценка) / Σ(весов отвеченных пунктов); визит = Σ(вес раздела × оценка) / Σ(весов разделов с ответами). Н/П и пропущенные необязательные пункты не входят в знаменатель. Проваленный критический пункт обнуляет раздел или весь визит.",
            "Item = points earned / points possible; section = Σ(item weight × score) / Σ(weights of answered items); visit = Σ(section weight × score) / Σ(weights of sections with answers). N/A and skipped optional items leave the denominator. A failed critical item zeroes its section or the whole visit."
        ),
        range: b!("0–100", "0–100"),
        source: b!("Чек-листы тайного покупателя", "Mystery-shopper checklists"),
    },
    Definition {
        id: KpiId::CriticalFailures,
        name: b!("Критические нарушения", "Critical failures"),
        formula: b!(
            "Доля визитов с проваленным критическим пунктом; 95% интервал Уилсона",
            "Share of visits with a failed critical item; Wilson 95% interval"
        ),
        range: b!("0–100%", "0–100%"),
        source: b!("Чек-листы тайного покупателя", "Mystery-shopper checklists"),
    },
    Definition {
        id: KpiId::Nps,
        name: b!("Индекс NPS", "Net Promoter Score"),
        formula: b!(
            "% промоутеров (9–10) − % критиков (0–6). 95% интервал по скорректированному методу Вальда: n + 3, по ¾ к промоутерам и критикам, SE = √((p + d − (p − d)²)/n)",
            "% promoters (9–10) − % detractors (0–6). 95% interval by adjusted Wald: n + 3, ¾ added to promoters and detractors, SE = √((p + d − (p − d)²)/n)"
        ),
        range: b!("−100…100", "−100…100"),
        source: b!(
            "Вопрос «Порекомендуете ли вы нас?» 0–10 в опросах",
            "Survey question \"Would you recommend us?\" 0–10"
        ),
    },
    Definition {
        id: KpiId::Csat,
        name: b!("Удовлетворённость (CSAT)", "Customer satisfaction (CSAT)"),
        formula: b!(
            "Доля ответов 4–5 по пятибалльной шкале; 95% интервал Уилсона",
            "Share of 4–5 answers on the 5-point scale; Wilson 95% interval"
        ),
        range: b!("0–100%", "0–100%"),
        source: b!("Вопрос об удовлетворённости в опросах", "Satisfaction question in surveys"),
    },
    Definition {
        id: KpiId::Csi,
        name: b!("Индекс удовлетворённости (CSI)", "Customer satisfaction index (CSI)"),
        formula: b!(
            "Σ(важность × средняя оценка атрибута) / Σ(важность), каждая оценка приведена к 0–100 как (x − min)/(max − min)",
            "Σ(importance × mean attribute rating) / Σ(importance), each rating rescaled to 0–100 as (x − min)/(max − min)"
        ),
        range: b!("0–100", "0–100"),
        source: b!(
            "Оценки скорости, компетентности, вежливости, доступности с весами важности",
            "Ratings of speed, competence, politeness, accessibility with importance weights"
        ),
    },
    Definition {
        id: KpiId::CesMean,
        name: b!("Усилия клиента (CES), среднее", "Customer effort (CES), mean"),
        formula: b!("Среднее по шкале согласия 1–7", "Mean on the 1–7 agree scale"),
        range: b!("1–7", "1–7"),
        source: b!("Вопрос «Решить вопрос было легко» в опросах", "Survey question \"It was easy to get my issue resolved\""),
    },
    Definition {
        id: KpiId::CesEasyShare,
        name: b!("Усилия клиента (CES), доля 5–7", "Customer effort (CES), share of 5–7"),
        formula: b!("Доля ответов 5–7; 95% интервал Уилсона", "Share of 5–7 answers; Wilson 95% interval"),
        range: b!("0–100%", "0–100%"),
        source: b!("Вопрос «Решить вопрос было легко» в опросах", "Survey question \"It was easy to get my issue resolved\""),
    },
    Definition {
        id: KpiId::InkStaff,
        name: b!("ИНК Персонал", "Dissatisfaction index: staff"),
        formula: b!(
            "N«нет» / (N ответивших + k · N молчащих), N молчащих = посетители − N ответивших, k ∈ [0; 1], по умолчанию 0. Без отчёта о посетителях k не действует",
            "N_no / (N_answered + k · N_silent), N_silent = visitors − N_answered, k ∈ [0, 1], default 0. Without a visitor count k has no effect"
        ),
        range: b!("0–100%", "0–100%"),
        source: b!("«Довольны ли вы персоналом?» да/нет; посетители из ежедневного отчёта", "\"Satisfied with the staff?\" yes/no; visitors from the daily report"),
    },
    Definition {
        id: KpiId::InkOffice,
        name: b!("ИНК Офис", "Dissatisfaction index: office"),
        formula: b!(
            "N«нет» / (N ответивших + k · N молчащих), как ИНК Персонал",
            "N_no / (N_answered + k · N_silent), as for staff"
        ),
        range: b!("0–100%", "0–100%"),
        source: b!("«Довольны ли вы офисом?» да/нет", "\"Satisfied with the office?\" yes/no"),
    },
    Definition {
        id: KpiId::InkProduct,
        name: b!("ИНК Продукт", "Dissatisfaction index: product"),
        formula: b!(
            "N«нет» / (N ответивших + k · N молчащих), как ИНК Персонал",
            "N_no / (N_answered + k · N_silent), as for staff"
        ),
        range: b!("0–100%", "0–100%"),
        source: b!("«Довольны ли вы товарами и ценами?» да/нет", "\"Satisfied with products and prices?\" yes/no"),
    },
    Definition {
        id: KpiId::Loyalty,
        name: b!("ИЭЛ (эмоциональная лояльность)", "Emotional loyalty index"),
        formula: b!("% «да» − % «нет»", "% yes − % no"),
        range: b!("−100…100", "−100…100"),
        source: b!("«Порекомендуете ли вы нас друзьям?» да/нет", "\"Would you recommend us to your friends?\" yes/no"),
    },
    Definition {
        id: KpiId::Coverage,
        name: b!("Охват посетителей", "Visitor coverage"),
        formula: b!("Ответившие на опрос / посетители", "Survey respondents / visitors"),
        range: b!("0–100%", "0–100%"),
        source: b!("Опросы; посетители из ежедневного отчёта", "Surveys; visitors from the daily report"),
    },
    Definition {
        id: KpiId::Conversion,
        name: b!("Конверсия", "Conversion"),
        formula: b!("Чеки / посетители", "Receipts / visitors"),
        range: b!("0–100%", "0–100%"),
        source: b!("Ежедневный отчёт", "Daily report"),
    },
    Definition {
        id: KpiId::ServiceLevel,
        name: b!("Уровень сервиса", "Service level"),
        formula: b!("Звонки, принятые за время T / поступившие звонки", "Calls answered within T / calls offered"),
        range: b!("0–100%", "0–100%"),
        source: b!("Ежедневный отчёт", "Daily report"),
    },
    Definition {
        id: KpiId::AbandonRate,
        name: b!("Доля потерянных звонков", "Abandon rate"),
        formula: b!("Потерянные звонки / поступившие звонки", "Abandoned calls / calls offered"),
        range: b!("0–100%", "0–100%"),
        source: b!("Ежедневный отчёт", "Daily report"),
    },
    Definition {
        id: KpiId::Aht,
        name: b!("Среднее время обработки (AHT)", "Average handling time (AHT)"),
        formula: b!(
            "(разговор + удержание + постобработка) / обработанные звонки",
            "(talk + hold + after-call work) / calls handled"
        ),
        range: b!("≥ 0, в единицах отчёта", "≥ 0, in the report's unit"),
        source: b!("Ежедневный отчёт", "Daily report"),
    },
    Definition {
        id: KpiId::Wait,
        name: b!("Время ожидания", "Waiting time"),
        formula: b!("Среднее и медиана", "Mean and median"),
        range: b!("≥ 0, в единицах вопроса", "≥ 0, in the question's unit"),
        source: b!("Вопросы о времени ожидания в проверках, опросах, отчётах", "Waiting-time questions in audits, surveys, reports"),
    },
    Definition {
        id: KpiId::FirstResponse,
        name: b!("Время первого ответа", "First-response time"),
        formula: b!("Среднее и медиана", "Mean and median"),
        range: b!("≥ 0, в единицах вопроса", "≥ 0, in the question's unit"),
        source: b!("Проверки звонков и онлайн-заказов, отчёты", "Phone and online-order audits, reports"),
    },
    Definition {
        id: KpiId::Resolution,
        name: b!("Время решения", "Resolution time"),
        formula: b!("Среднее и медиана", "Mean and median"),
        range: b!("≥ 0, в единицах вопроса", "≥ 0, in the question's unit"),
        source: b!("Проверки звонков и онлайн-заказов, отчёты", "Phone and online-order audits, reports"),
    },
    Definition {
        id: KpiId::Complaints,
        name: b!("Рекламации", "Complaints"),
        formula: b!("Число по категориям, точкам и периодам", "Count per category, location and period"),
        range: b!("≥ 0", "≥ 0"),
        source: b!("Форма рекламации", "Complaint form"),
    },
    Definition {
        id: KpiId::ComplaintsResolved,
        name: b!("Решённые рекламации", "Complaints resolved"),
        formula: b!("Решённые / все с отметкой о решении; 95% интервал Уилсона", "Resolved / all marked either way; Wilson 95% interval"),
        range: b!("0–100%", "0–100%"),
        source: b!("Форма рекламации", "Complaint form"),
    },
    Definition {
        id: KpiId::TimeToResolve,
        name: b!("Время решения рекламации", "Time to resolve a complaint"),
        formula: b!("Медиана (и среднее)", "Median (and mean)"),
        range: b!("≥ 0, в единицах вопроса", "≥ 0, in the question's unit"),
        source: b!("Форма рекламации", "Complaint form"),
    },
    Definition {
        id: KpiId::EmployeeRanking,
        name: b!("Рейтинг сотрудников", "Employee ranking"),
        formula: b!(
            "По средней оценке проверок и по доле довольных персоналом; без места при выборке меньше минимальной",
            "By mean audit score and by share satisfied with the staff; unranked below the minimum sample"
        ),
        range: b!("1…N", "1…N"),
        source: b!("Проверки и опросы с указанием сотрудника", "Audits and surveys that name the employee"),
    },
    Definition {
        id: KpiId::WeakSpots,
        name: b!("Слабые места", "Weak spots"),
        formula: b!(
            "Пункты чек-листа, чаще всего не выполненные: число и доля провалов",
            "Checklist items failed most often: count and failure rate"
        ),
        range: b!("0–100%", "0–100%"),
        source: b!("Чек-листы тайного покупателя", "Mystery-shopper checklists"),
    },
];

pub fn definition(id: KpiId) -> &'static Definition {
    DEFINITIONS
        .iter()
        .find(|d| d.id == id)
        .expect("every KpiId has a definition")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_kpi_defined_once_in_both_languages() {
        let ids: HashSet<_> = DEFINITIONS.iter().map(|d| d.id).collect();
        assert_eq!(ids.len(), DEFINITIONS.len());
        assert_eq!(ids.len(), 24);
        for d in DEFINITIONS {
            for t in [d.name, d.formula, d.range, d.source] {
                for l in Lang::ALL {
                    assert!(!t.get(l).trim().is_empty(), "{:?}", d.id);
                }
            }
            assert_eq!(definition(d.id), d);
        }
    }
}
