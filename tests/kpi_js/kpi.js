// The KPI pass of src/kpi/aggregate.rs (`compute_all`) written again in
// plain JavaScript, over the same columns (`Dataset::columns`), for the
// browser benchmark tests/kpi_browser.rs: both run in the same page on the
// same data, and `kpiDigest` flattens either report to the same keys so
// the benchmark can check they agree before it compares their times.
//
// A line-by-line port, not a new design: the same accumulators per group
// (overall, locations, questionnaires, time buckets, employees), section
// tallies, item fail counts, medians by a counting sort into one buffer and
// a selection. Idiomatic JS where Rust has structs: one object per group.

const FAIL_BELOW = 0.5;
const Z95 = 1.96;
const SMALL_SAMPLE = 30;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const CES_HIGH_FROM = 5;
const OPS = { visitors: 0, receipts: 1, offered: 2, within_t: 3, abandoned: 4, handled: 5, talk: 6, hold: 7, after_call: 8 };
const TIME_METRICS = 4;
const OP_CODES = ['none', 'nps', 'csat', 'ces', 'csi', 'ink', 'loyalty', 'ops', 'time', 'category', 'resolved'];

// ---- statistics (src/kpi/stats.rs) ----

function kpi(value, n, ci) {
  const v = n === 0 ? null : value;
  return { value: v, n, small: n < SMALL_SAMPLE, ci: v === null ? null : ci };
}
const kpiEmpty = () => kpi(null, 0, null);
const kpiMean = (sum, n) => kpi(n > 0 ? sum / n : null, n, null);

function wilson(x, n, z) {
  if (Number.isNaN(n) || n <= 0 || !(x >= 0 && x <= n)) return null;
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lo: Math.max(centre - half, 0), hi: Math.min(centre + half, 1) };
}

function kpiPercent(x, n) {
  const count = Math.round(Math.max(n, 0));
  if (Number.isNaN(n) || n <= 0) return kpi(null, count, null);
  const xc = Math.min(Math.max(x, 0), n);
  const w = wilson(xc, n, Z95);
  const ci = w && { lo: 100 * w.lo, hi: 100 * w.hi };
  return kpi((100 * xc) / n, Math.max(count, 1), ci);
}

function npsAdjustedWald(p0, d0, n, z) {
  if (Number.isNaN(n) || n <= 0) return null;
  const nAdj = n + 3;
  const p = (p0 + 0.75) / nAdj;
  const d = (d0 + 0.75) / nAdj;
  const nps = p - d;
  const se = Math.sqrt((p + d - nps * nps) / nAdj);
  return { lo: Math.max(nps - z * se, -1), hi: Math.min(nps + z * se, 1) };
}

function npsSe(p0, d0, n) {
  if (Number.isNaN(n) || n <= 0) return null;
  const p = p0 / n;
  const d = d0 / n;
  return Math.sqrt((p + d - (p - d) * (p - d)) / n);
}

/** k-th smallest of buf[begin, end) moved to begin + k (Hoare selection). */
function select(buf, begin, end, k) {
  let lo = begin;
  let hi = end - 1;
  const target = begin + k;
  while (lo < hi) {
    const pivot = buf[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (buf[i] < pivot) i++;
      while (buf[j] > pivot) j--;
      if (i <= j) {
        const t = buf[i];
        buf[i] = buf[j];
        buf[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return buf[target];
}

function medianOf(buf, begin, end) {
  const n = end - begin;
  if (n === 0) return null;
  const k = n >>> 1;
  const upper = select(buf, begin, end, k);
  if (n % 2 === 1) return upper;
  let lower = -Infinity;
  for (let i = begin; i < begin + k; i++) if (buf[i] > lower) lower = buf[i];
  return (lower + upper) / 2;
}

// ---- time buckets (src/kpi/filter.rs) ----

function civilFromDays(z0) {
  const z = z0 + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.trunc((doe - Math.trunc(doe / 1460) + Math.trunc(doe / 36_524) - Math.trunc(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.trunc(yoe / 4) - Math.trunc(yoe / 100));
  const mp = Math.trunc((5 * doy + 2) / 153);
  const d = doy - Math.trunc((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function daysFromCivil(y0, m, d) {
  const y = y0 - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.trunc((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.trunc(yoe / 4) - Math.trunc(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function isoWeek(day) {
  const weekday = (((day + 3) % 7) + 7) % 7;
  const thursday = day - weekday + 3;
  const [year] = civilFromDays(thursday);
  return [year, Math.trunc((thursday - daysFromCivil(year, 1, 1)) / 7) + 1];
}

class Bucketer {
  constructor(bucket, utcOffsetMin, firstMs) {
    this.bucket = bucket;
    this.shift = utcOffsetMin * MINUTE_MS;
    this.curStart = 0;
    this.curEnd = 0;
    this.curIndex = 0;
    this.origin = 0;
    this.origin = this.ordinal(firstMs);
  }
  ordinal(t) {
    const day = Math.floor((t + this.shift) / DAY_MS);
    if (this.bucket === 'day') return day;
    if (this.bucket === 'week') return Math.floor((day + 3) / 7);
    const [y, m] = civilFromDays(day);
    return y * 12 + m - 1;
  }
  firstDay(o) {
    if (this.bucket === 'day') return o;
    if (this.bucket === 'week') return o * 7 - 3;
    const y = Math.floor(o / 12);
    return daysFromCivil(y, o - y * 12 + 1, 1);
  }
  index(t) {
    if (!(t >= this.curStart && t < this.curEnd)) {
      const o = this.ordinal(t);
      this.curStart = this.firstDay(o) * DAY_MS - this.shift;
      this.curEnd = this.firstDay(o + 1) * DAY_MS - this.shift;
      this.curIndex = Math.max(o - this.origin, 0);
    }
    return this.curIndex;
  }
  countTo(last) {
    return Math.max(this.ordinal(last) - this.origin + 1, 0);
  }
  info(index) {
    const o = this.origin + index;
    const day = this.firstDay(o);
    const [y, m, d] = civilFromDays(day);
    const p2 = (x) => String(x).padStart(2, '0');
    let label;
    if (this.bucket === 'day') label = `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)}`;
    else if (this.bucket === 'week') {
      const [wy, w] = isoWeek(day);
      label = `${String(wy).padStart(4, '0')}-W${p2(w)}`;
    } else label = `${String(y).padStart(4, '0')}-${p2(m)}`;
    return { start_ms: day * DAY_MS - this.shift, end_ms: this.firstDay(o + 1) * DAY_MS - this.shift, label };
  }
}

// ---- the pass (src/kpi/aggregate.rs) ----

function newAcc() {
  return {
    responses: 0,
    audits: 0,
    auditSum: 0,
    auditCritical: 0,
    promoters: 0,
    passives: 0,
    detractors: 0,
    byScore: new Array(11).fill(0),
    csatSat: 0,
    csatN: 0,
    cesSum: 0,
    cesN: 0,
    cesHigh: 0,
    csiRespondents: 0,
    inkNo: [0, 0, 0],
    inkN: [0, 0, 0],
    inkNCounted: [0, 0, 0],
    loyalYes: 0,
    loyalNo: 0,
    surveysCounted: 0,
    ops: newOps(),
    timeSum: [0, 0, 0, 0],
    timeN: [0, 0, 0, 0],
    complaints: 0,
    resolvedYes: 0,
    resolvedN: 0,
  };
}

function newOps() {
  return {
    reports: 0,
    visitors: 0,
    receipts: 0,
    convVisitors: 0,
    convReceipts: 0,
    slOffered: 0,
    slWithin: 0,
    abOffered: 0,
    abAbandoned: 0,
    ahtSum: 0,
    ahtCalls: 0,
  };
}

function addReport(o, r) {
  o.reports += 1;
  if (r[OPS.visitors] !== null) o.visitors += r[OPS.visitors];
  if (r[OPS.receipts] !== null) o.receipts += r[OPS.receipts];
  if (r[OPS.visitors] !== null && r[OPS.receipts] !== null) {
    o.convVisitors += r[OPS.visitors];
    o.convReceipts += r[OPS.receipts];
  }
  const offered = r[OPS.offered];
  if (offered !== null) {
    if (r[OPS.within_t] !== null) {
      o.slOffered += offered;
      o.slWithin += r[OPS.within_t];
    }
    if (r[OPS.abandoned] !== null) {
      o.abOffered += offered;
      o.abAbandoned += r[OPS.abandoned];
    }
  }
  const talk = r[OPS.talk];
  const hold = r[OPS.hold];
  const acw = r[OPS.after_call];
  if (talk !== null || hold !== null || acw !== null) {
    const perCall = (talk ?? 0) + (hold ?? 0) + (acw ?? 0);
    const calls = r[OPS.handled] ?? 1;
    o.ahtSum += calls * perCall;
    o.ahtCalls += calls;
  }
}

function mergeOps(a, o) {
  a.reports += o.reports;
  a.visitors += o.visitors;
  a.receipts += o.receipts;
  a.convVisitors += o.convVisitors;
  a.convReceipts += o.convReceipts;
  a.slOffered += o.slOffered;
  a.slWithin += o.slWithin;
  a.abOffered += o.abOffered;
  a.abAbandoned += o.abAbandoned;
  a.ahtSum += o.ahtSum;
  a.ahtCalls += o.ahtCalls;
}

/** Columns as Rust hands them over, with the slot table unpacked into arrays. */
export function prepare(raw) {
  const t = raw.tables;
  const ns = t.slots.length;
  const slots = {
    item: new Uint32Array(ns),
    section: new Uint16Array(ns),
    weight: new Float64Array(ns),
    critical: new Uint8Array(ns),
    audit: new Uint8Array(ns),
    scaled: new Uint8Array(ns),
    lo: new Float64Array(ns),
    hi: new Float64Array(ns),
    op: new Uint8Array(ns),
    arg: new Float64Array(ns),
  };
  t.slots.forEach((s, i) => {
    slots.item[i] = s.item;
    slots.section[i] = s.section;
    slots.weight[i] = s.weight;
    slots.critical[i] = s.critical ? 1 : 0;
    slots.audit[i] = s.audit ? 1 : 0;
    slots.scaled[i] = s.scale ? 1 : 0;
    slots.lo[i] = s.scale ? s.scale[0] : 0;
    slots.hi[i] = s.scale ? s.scale[1] : 0;
    slots.op[i] = OP_CODES.indexOf(s.op);
    slots.arg[i] = s.arg;
  });
  return { ...t, slots, ...raw.columns };
}

function rowsBetween(time, lo, hi, start, end) {
  const partition = (x) => {
    let a = lo;
    let b = hi;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (time[m] < x) a = m + 1;
      else b = m;
    }
    return a;
  };
  const a = partition(start);
  const b = partition(end);
  return [a, Math.max(a, b)];
}

function allowSet(ids, size, index) {
  if (!ids || ids.length === 0) return null;
  const v = new Uint8Array(size);
  for (const id of ids) {
    const i = index(id);
    if (i !== undefined && i >= 0) v[i] = 1;
  }
  return v;
}

function scanVisitors(d, start, end, allow, bucketer, buckets) {
  const v = { total: null, byLocation: new Array(d.locations.length).fill(null), byBucket: new Array(buckets).fill(null) };
  const rows = d.visitorRow;
  const [a, b] = rowsBetween(rows, 0, rows.length, start, end);
  for (let i = a; i < b; i++) {
    const row = rows[i];
    const loc = d.rowLocation[row];
    if (allow.locations && !allow.locations[loc]) continue;
    const c = d.visitorCount[i];
    v.total = (v.total ?? 0) + c;
    v.byLocation[loc] = (v.byLocation[loc] ?? 0) + c;
    if (bucketer) {
      const b = bucketer.index(d.rowTime[row]);
      if (b < buckets) v.byBucket[b] = (v.byBucket[b] ?? 0) + c;
    }
  }
  return v;
}

function layoutOf(d, buckets, breakdowns) {
  if (!breakdowns) return { location: 1, questionnaire: 1, bucket: 1, employee: 1, total: 1 };
  const location = 1;
  const questionnaire = location + d.locations.length;
  const bucket = questionnaire + d.questionnaires.length;
  const employee = bucket + buckets;
  return { location, questionnaire, bucket, employee, total: employee + d.employees.length };
}

function runPass(d, layout, start, end, allow, bucketer, counted, breakdowns) {
  const g = layout.total;
  const nAttrs = d.csiAttrs.length;
  const nCats = d.categories.length;
  const nItems = d.items.length;
  const accs = new Array(g);
  for (let i = 0; i < g; i++) accs[i] = newAcc();
  const pass = {
    accs,
    csiSum: new Float64Array(g * nAttrs),
    csiN: new Float64Array(g * nAttrs),
    categories: new Float64Array(g * nCats),
    timesAt: [[], [], [], []],
    timesVal: [[], [], [], []],
    timeGroups: [],
    sectionSum: new Float64Array(d.sectionKeys.length),
    sectionN: new Float64Array(d.sectionKeys.length),
    sectionCrit: new Float64Array(d.sectionKeys.length),
    itemAnswered: new Float64Array(nItems),
    itemFailed: new Float64Array(nItems),
    locItemAnswered: new Uint32Array(breakdowns ? d.locations.length * nItems : 0),
    locItemFailed: new Uint32Array(breakdowns ? d.locations.length * nItems : 0),
  };
  const s = d.slots;
  const groups = [];
  const tEarned = new Float64Array(d.maxSections);
  const tPossible = new Float64Array(d.maxSections);
  const tCrit = new Uint8Array(d.maxSections);
  const opsRow = new Array(9).fill(null);
  const nBuckets = layout.employee - layout.bucket;

  for (let r = start; r < end; r++) {
    const loc = d.rowLocation[r];
    if (allow.locations && !allow.locations[loc]) continue;
    const ver = d.versions[d.rowVersion[r]];
    if (allow.questionnaires && !allow.questionnaires[ver.questionnaire]) continue;
    const e0 = d.rowEmpStart[r];
    const e1 = d.rowEmpStart[r + 1];
    if (allow.employees) {
      let any = false;
      for (let e = e0; e < e1; e++) if (allow.employees[d.rowEmp[e]]) any = true;
      if (!any) continue;
    }
    groups.length = 0;
    groups.push(0);
    if (breakdowns) {
      groups.push(layout.location + loc);
      groups.push(layout.questionnaire + ver.questionnaire);
      if (bucketer) {
        const i = bucketer.index(d.rowTime[r]);
        if (i < nBuckets) groups.push(layout.bucket + i);
      }
      for (let e = e0; e < e1; e++) {
        const emp = d.rowEmp[e];
        if (!allow.employees || allow.employees[emp]) groups.push(layout.employee + emp);
      }
    }
    const ng = groups.length;
    const isCounted = counted[loc];
    const nSections = ver.sections_end - ver.sections_start;
    tEarned.fill(0, 0, nSections);
    tPossible.fill(0, 0, nSections);
    tCrit.fill(0, 0, nSections);
    opsRow.fill(null);
    let hasOps = false;
    let ratedCsi = false;
    let timeGroupsAt = -1;

    const a1 = d.rowAnsStart[r + 1];
    for (let a = d.rowAnsStart[r]; a < a1; a++) {
      const slot = d.ansSlot[a];
      const x = d.ansVal[a];
      if (s.audit[slot]) {
        const score = s.scaled[slot] ? (x - s.lo[slot]) / (s.hi[slot] - s.lo[slot]) : x;
        const sec = s.section[slot];
        if (s.critical[slot] && score < FAIL_BELOW) tCrit[sec] = 1;
        tEarned[sec] += s.weight[slot] * score;
        tPossible[sec] += s.weight[slot];
        if (breakdowns) {
          const failed = score < FAIL_BELOW ? 1 : 0;
          const item = s.item[slot];
          pass.itemAnswered[item] += 1;
          pass.itemFailed[item] += failed;
          const li = loc * nItems + item;
          pass.locItemAnswered[li] += 1;
          pass.locItemFailed[li] += failed;
        }
      }
      switch (s.op[slot]) {
        case 0:
          break;
        case 1: {
          // nps
          const bucket = Math.min(Math.trunc(x), 10);
          for (let k = 0; k < ng; k++) {
            const acc = accs[groups[k]];
            acc.byScore[bucket] += 1;
            if (x >= 9) acc.promoters += 1;
            else if (x >= 7) acc.passives += 1;
            else acc.detractors += 1;
          }
          break;
        }
        case 2: {
          // csat
          const sat = x >= s.arg[slot] ? 1 : 0;
          for (let k = 0; k < ng; k++) {
            const acc = accs[groups[k]];
            acc.csatSat += sat;
            acc.csatN += 1;
          }
          break;
        }
        case 3: {
          // ces
          const high = x >= CES_HIGH_FROM ? 1 : 0;
          for (let k = 0; k < ng; k++) {
            const acc = accs[groups[k]];
            acc.cesSum += x;
            acc.cesN += 1;
            acc.cesHigh += high;
          }
          break;
        }
        case 4: {
          // csi
          const u = s.scaled[slot] ? (x - s.lo[slot]) / (s.hi[slot] - s.lo[slot]) : x;
          const attr = s.arg[slot];
          ratedCsi = true;
          for (let k = 0; k < ng; k++) {
            const i = groups[k] * nAttrs + attr;
            pass.csiSum[i] += u;
            pass.csiN[i] += 1;
          }
          break;
        }
        case 5: {
          // ink
          const c = s.arg[slot];
          const no = x < 0.5 ? 1 : 0;
          for (let k = 0; k < ng; k++) {
            const acc = accs[groups[k]];
            acc.inkN[c] += 1;
            acc.inkNo[c] += no;
            acc.inkNCounted[c] += isCounted ? 1 : 0;
          }
          break;
        }
        case 6: {
          // loyalty
          const yes = x >= 0.5;
          for (let k = 0; k < ng; k++) {
            const acc = accs[groups[k]];
            if (yes) acc.loyalYes += 1;
            else acc.loyalNo += 1;
          }
          break;
        }
        case 7: {
          // ops
          const f = s.arg[slot];
          opsRow[f] = (opsRow[f] ?? 0) + x;
          hasOps = true;
          break;
        }
        case 8: {
          // time
          const m = s.arg[slot];
          for (let k = 0; k < ng; k++) {
            const acc = accs[groups[k]];
            acc.timeSum[m] += x;
            acc.timeN[m] += 1;
          }
          if (timeGroupsAt < 0) {
            timeGroupsAt = pass.timeGroups.length;
            pass.timeGroups.push(ng);
            for (let k = 0; k < ng; k++) pass.timeGroups.push(groups[k]);
          }
          pass.timesAt[m].push(timeGroupsAt);
          pass.timesVal[m].push(x);
          break;
        }
        case 9: {
          // category
          const c = Math.trunc(x);
          for (let k = 0; k < ng; k++) pass.categories[groups[k] * nCats + c] += 1;
          break;
        }
        case 10: {
          // resolved
          const yes = x >= 0.5 ? 1 : 0;
          for (let k = 0; k < ng; k++) {
            const acc = accs[groups[k]];
            acc.resolvedYes += yes;
            acc.resolvedN += 1;
          }
          break;
        }
      }
    }

    const survey = ver.kind === 'survey' && isCounted ? 1 : 0;
    const complaint = ver.kind === 'complaint' ? 1 : 0;
    for (let k = 0; k < ng; k++) {
      const acc = accs[groups[k]];
      acc.responses += 1;
      acc.surveysCounted += survey;
      acc.complaints += complaint;
      if (ratedCsi) acc.csiRespondents += 1;
    }
    if (ver.kind === 'audit') {
      // Visit score from the section tallies (src/kpi/audit.rs).
      let num = 0;
      let den = 0;
      let zeroed = false;
      let critical = false;
      for (let i = 0; i < nSections; i++) {
        const sec = d.sections[ver.sections_start + i];
        const crit = tCrit[i] === 1;
        critical ||= crit;
        zeroed ||= crit && sec.zero_visit;
        if (tPossible[i] > 0) {
          const score = crit ? 0 : (100 * tEarned[i]) / tPossible[i];
          num += sec.weight * score;
          den += sec.weight;
          if (breakdowns) {
            pass.sectionSum[sec.key] += score;
            pass.sectionN[sec.key] += 1;
            pass.sectionCrit[sec.key] += crit ? 1 : 0;
          }
        }
      }
      if (den > 0) {
        const score = zeroed ? 0 : num / den;
        for (let k = 0; k < ng; k++) {
          const acc = accs[groups[k]];
          acc.audits += 1;
          acc.auditSum += score;
          acc.auditCritical += critical ? 1 : 0;
        }
      }
    }
    if (hasOps) {
      const delta = newOps();
      addReport(delta, opsRow);
      for (let k = 0; k < ng; k++) mergeOps(accs[groups[k]].ops, delta);
    }
  }
  pass.medians = medians(pass, layout.total);
  return pass;
}

function medians(pass, total) {
  const out = [];
  const lists = pass.timeGroups;
  for (let m = 0; m < TIME_METRICS; m++) {
    const res = new Array(total).fill(null);
    out.push(res);
    const at = pass.timesAt[m];
    const val = pass.timesVal[m];
    if (at.length === 0) continue;
    const start = new Uint32Array(total + 1);
    for (let i = 0; i < at.length; i++) {
      const p = at[i];
      for (let k = 1; k <= lists[p]; k++) start[lists[p + k] + 1] += 1;
    }
    for (let i = 0; i < total; i++) start[i + 1] += start[i];
    const buf = new Float64Array(start[total]);
    for (let i = 0; i < at.length; i++) {
      const p = at[i];
      for (let k = 1; k <= lists[p]; k++) buf[start[lists[p + k]]++] = val[i];
    }
    let begin = 0;
    for (let g = 0; g < total; g++) {
      const end = start[g];
      res[g] = medianOf(buf, begin, end);
      begin = end;
    }
  }
  return out;
}

function inkWithSilent(no, answered, silentKnown, k0) {
  const k = Number.isFinite(k0) ? Math.min(Math.max(k0, 0), 1) : 0;
  const silent = silentKnown ?? 0;
  const denom = answered + k * silent;
  const value = answered > 0 && denom > 0 ? (100 * no) / denom : null;
  const w = wilson(no, denom, Z95);
  return {
    kpi: kpi(value, answered, w && { lo: 100 * w.lo, hi: 100 * w.hi }),
    no,
    answered,
    silent,
    visitorsKnown: silentKnown !== null,
  };
}

function kpiSet(d, pass, g, visitors, k) {
  const a = pass.accs[g];
  const nAttrs = d.csiAttrs.length;
  let num = 0;
  let den = 0;
  const attributes = [];
  for (let i = 0; i < nAttrs; i++) {
    const n = pass.csiN[g * nAttrs + i];
    if (n === 0) continue;
    const sum = pass.csiSum[g * nAttrs + i];
    const [item, importance] = d.csiAttrs[i];
    num += importance * (sum / n);
    den += importance;
    const it = d.items[item];
    attributes.push({
      questionnaire_id: d.questionnaires[it[0]][0],
      question_id: it[1],
      importance,
      score: kpiMean(100 * sum, n),
    });
  }
  const csiValue = den > 0 && a.csiRespondents > 0 ? 100 * (num / den) : null;
  const nCats = d.categories.length;
  const byCategory = [];
  for (let c = 0; c < nCats; c++) {
    const count = pass.categories[g * nCats + c];
    if (count > 0) byCategory.push({ id: d.categories[c], count });
  }
  byCategory.sort((x, y) => y.count - x.count || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const time = (m) => ({ mean: kpiMean(a.timeSum[m], a.timeN[m]), median: a.timeN[m] > 0 ? pass.medians[m][g] : null });
  const ink = [0, 1, 2].map((i) =>
    inkWithSilent(a.inkNo[i], a.inkN[i], visitors === null ? null : Math.max(visitors - a.inkNCounted[i], 0), k),
  );
  const npsN = a.promoters + a.passives + a.detractors;
  const npsCi = npsAdjustedWald(a.promoters, a.detractors, npsN, Z95);
  const npsSeV = npsSe(a.promoters, a.detractors, npsN);
  const loyalN = a.loyalYes + a.loyalNo;
  const lw = wilson(a.loyalYes, loyalN, Z95);
  const o = a.ops;
  const ahtN = Math.max(Math.round(o.ahtCalls), 0);
  const ahtValue = o.ahtCalls > 0 ? o.ahtSum / o.ahtCalls : null;
  return {
    responses: a.responses,
    audit: {
      score: kpiMean(a.auditSum, a.audits),
      critical_failures: kpiPercent(a.auditCritical, a.audits),
    },
    nps: {
      kpi: kpi(npsN > 0 ? (100 * (a.promoters - a.detractors)) / npsN : null, npsN, npsCi && { lo: 100 * npsCi.lo, hi: 100 * npsCi.hi }),
      by_score: a.byScore,
      se: npsSeV === null ? null : 100 * npsSeV,
    },
    csat: kpiPercent(a.csatSat, a.csatN),
    csi: { kpi: kpi(csiValue, a.csiRespondents, null), attributes },
    ces: { mean: kpiMean(a.cesSum, a.cesN), high_share: kpiPercent(a.cesHigh, a.cesN) },
    ink,
    loyalty: kpi(loyalN > 0 ? (100 * (a.loyalYes - a.loyalNo)) / loyalN : null, loyalN, lw && { lo: 100 * (2 * lw.lo - 1), hi: 100 * (2 * lw.hi - 1) }),
    ops: {
      reports: o.reports,
      visitors: o.reports > 0 ? o.visitors : null,
      receipts: o.reports > 0 ? o.receipts : null,
      coverage: visitors === null ? kpiEmpty() : kpiPercent(a.surveysCounted, visitors),
      conversion: kpiPercent(o.convReceipts, o.convVisitors),
      service_level: kpiPercent(o.slWithin, o.slOffered),
      abandon_rate: kpiPercent(o.abAbandoned, o.abOffered),
      aht: kpi(ahtValue, Math.max(ahtN, ahtValue === null ? 0 : 1), null),
      wait: time(0),
      first_response: time(1),
      resolution: time(2),
    },
    complaints: {
      count: a.complaints,
      resolved: kpiPercent(a.resolvedYes, a.resolvedN),
      time_to_resolve: time(3),
      by_category: byCategory,
    },
  };
}

const byId = (x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
const cmpStr = (x, y) => (x < y ? -1 : x > y ? 1 : 0);

function mostFailed(spots, limit) {
  spots.sort(
    (a, b) =>
      b.failed - a.failed ||
      (b.fail_rate.value ?? 0) - (a.fail_rate.value ?? 0) ||
      cmpStr(a.questionnaire_id, b.questionnaire_id) ||
      cmpStr(a.question_id, b.question_id),
  );
  return spots.slice(0, limit);
}

function rank(entries, minN) {
  const v = entries.filter(([, k]) => k.value !== null).map(([id, k]) => ({ id, kpi: k, rank: null }));
  const min = Math.max(minN, 1);
  const eligible = (e) => e.kpi.n >= min;
  v.sort((a, b) => {
    const ea = eligible(a);
    const eb = eligible(b);
    if (ea !== eb) return ea ? -1 : 1;
    if (ea && b.kpi.value !== a.kpi.value) return b.kpi.value - a.kpi.value;
    return b.kpi.n - a.kpi.n || cmpStr(a.id, b.id);
  });
  let prev = null;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!eligible(e)) break;
    const r = prev && prev[0] === e.kpi.value ? prev[1] : i + 1;
    e.rank = r;
    prev = [e.kpi.value, r];
  }
  return v;
}

/**
 * Every KPI with every breakdown for the rows that pass `filter`:
 * { period: {start_ms, end_ms} | null, locations, employees, questionnaires
 * (id lists, empty = all), bucket: 'day' | 'week' | 'month',
 * utc_offset_min, silent_k, min_rank_n, compare_previous, weak_spots_limit }.
 */
export function computeAll(d, filter) {
  const locIndex = new Map(d.locations.map((x, i) => [x, i]));
  const empIndex = new Map(d.employees.map((x, i) => [x, i]));
  const allow = {
    locations: allowSet(filter.locations, d.locations.length, (s) => locIndex.get(s)),
    employees: allowSet(filter.employees, d.employees.length, (s) => empIndex.get(s)),
    questionnaires: allowSet(filter.questionnaires, d.questionnaires.length, (s) => d.questionnaires.findIndex((q) => q[0] === s)),
  };
  const len = d.rowTime.length;
  const p = filter.period;
  const [start, end] = p ? rowsBetween(d.rowTime, 0, len, p.start_ms, p.end_ms) : [0, len];
  let span = null;
  if (p) {
    if (p.end_ms - p.start_ms > 0) span = [p.start_ms, p.end_ms - 1];
  } else if (end > start) span = [d.rowTime[start], d.rowTime[end - 1]];
  const bucketer = span ? new Bucketer(filter.bucket, filter.utc_offset_min, span[0]) : null;
  const buckets = bucketer ? bucketer.countTo(span[1]) : 0;

  const visitors = scanVisitors(d, start, end, allow, bucketer, buckets);
  const counted = visitors.byLocation.map((v) => v !== null);
  const layout = layoutOf(d, buckets, true);
  const pass = runPass(d, layout, start, end, allow, bucketer, counted, true);
  const k = filter.silent_k;

  const overall = kpiSet(d, pass, 0, visitors.total, k);
  const breakdown = (offset, names, vis) => {
    const v = [];
    for (let i = 0; i < names.length; i++) {
      if (pass.accs[offset + i].responses > 0) v.push({ id: names[i], kpis: kpiSet(d, pass, offset + i, vis(i), k) });
    }
    return v.sort(byId);
  };
  const byLocation = breakdown(layout.location, d.locations, (i) => visitors.byLocation[i]);
  const byEmployee = breakdown(layout.employee, d.employees, () => null);
  const byQuestionnaire = breakdown(
    layout.questionnaire,
    d.questionnaires.map((q) => q[0]),
    (i) => (d.questionnaires[i][1] === 'survey' ? visitors.total : null),
  );
  const trend = [];
  for (let i = 0; i < buckets; i++) {
    trend.push({ bucket: bucketer.info(i), kpis: kpiSet(d, pass, layout.bucket + i, visitors.byBucket[i], k) });
  }

  const sections = [];
  d.sectionKeys.forEach(([q, id, order], i) => {
    if (pass.sectionN[i] > 0) {
      sections.push({
        order,
        questionnaire_id: d.questionnaires[q][0],
        section_id: id,
        score: kpiMean(pass.sectionSum[i], pass.sectionN[i]),
        critical_failures: pass.sectionCrit[i],
      });
    }
  });
  sections.sort((a, b) => cmpStr(a.questionnaire_id, b.questionnaire_id) || a.order - b.order || cmpStr(a.section_id, b.section_id));

  const spot = (item, answered, failed) => {
    const [q, id, section] = d.items[item];
    return {
      questionnaire_id: d.questionnaires[q][0],
      question_id: id,
      section_id: d.sectionKeys[section][1],
      failed,
      fail_rate: kpiPercent(failed, answered),
    };
  };
  const nItems = d.items.length;
  const overallSpots = [];
  for (let i = 0; i < nItems; i++) if (pass.itemFailed[i] > 0) overallSpots.push(spot(i, pass.itemAnswered[i], pass.itemFailed[i]));
  const weakSpots = mostFailed(overallSpots, filter.weak_spots_limit);
  const weakSpotsByLocation = [];
  d.locations.forEach((id, l) => {
    const spots = [];
    for (let i = 0; i < nItems; i++) {
      const f = pass.locItemFailed[l * nItems + i];
      if (f > 0) spots.push(spot(i, pass.locItemAnswered[l * nItems + i], f));
    }
    const items = mostFailed(spots, filter.weak_spots_limit);
    if (items.length) weakSpotsByLocation.push({ location_id: id, items });
  });
  weakSpotsByLocation.sort((a, b) => cmpStr(a.location_id, b.location_id));

  const minN = filter.min_rank_n;
  const rankings = {
    employees_by_audit: rank(byEmployee.map((b) => [b.id, b.kpis.audit.score]), minN),
    employees_by_staff_survey: rank(
      byEmployee.map((b) => {
        const s = b.kpis.ink[0];
        return [b.id, kpiPercent(s.answered - s.no, s.answered)];
      }),
      minN,
    ),
    locations_by_audit: rank(byLocation.map((b) => [b.id, b.kpis.audit.score]), minN),
    locations_by_nps: rank(byLocation.map((b) => [b.id, b.kpis.nps.kpi]), minN),
    locations_by_csat: rank(byLocation.map((b) => [b.id, b.kpis.csat]), minN),
  };

  let previous = null;
  if (p && filter.compare_previous) {
    const len = p.end_ms - p.start_ms;
    const prev = { start_ms: p.start_ms - len, end_ms: Math.max(p.start_ms, p.start_ms - len) };
    const [ps, pe] = rowsBetween(d.rowTime, 0, d.rowTime.length, prev.start_ms, prev.end_ms);
    const pv = scanVisitors(d, ps, pe, allow, null, 0);
    const pcounted = pv.byLocation.map((v) => v !== null);
    const ppass = runPass(d, layoutOf(d, 0, false), ps, pe, allow, null, pcounted, false);
    previous = { period: prev, kpis: kpiSet(d, ppass, 0, pv.total, k) };
  }

  return {
    period: p ?? null,
    overall,
    previous,
    by_location: byLocation,
    by_employee: byEmployee,
    by_questionnaire: byQuestionnaire,
    trend,
    sections,
    weak_spots: weakSpots,
    weak_spots_by_location: weakSpotsByLocation,
    rankings,
  };
}

// ---- comparison ----

function kpiKeys(out, p, k) {
  out[`${p}.v`] = k.value;
  out[`${p}.n`] = k.n;
  out[`${p}.lo`] = k.ci ? k.ci.lo : null;
  out[`${p}.hi`] = k.ci ? k.ci.hi : null;
}

function setKeys(out, p, s) {
  out[`${p}responses`] = s.responses;
  kpiKeys(out, `${p}audit`, s.audit.score);
  kpiKeys(out, `${p}audit_crit`, s.audit.critical_failures);
  kpiKeys(out, `${p}nps`, s.nps.kpi);
  out[`${p}nps.se`] = s.nps.se;
  out[`${p}nps.by_score`] = s.nps.by_score.join(',');
  kpiKeys(out, `${p}csat`, s.csat);
  kpiKeys(out, `${p}csi`, s.csi.kpi);
  for (const a of s.csi.attributes) kpiKeys(out, `${p}csi.${a.questionnaire_id}/${a.question_id}`, a.score);
  kpiKeys(out, `${p}ces.mean`, s.ces.mean);
  kpiKeys(out, `${p}ces.high`, s.ces.high_share);
  s.ink.forEach((x, i) => {
    kpiKeys(out, `${p}ink${i}`, x.kpi);
    out[`${p}ink${i}.silent`] = x.silent;
    out[`${p}ink${i}.known`] = String(x.visitorsKnown);
  });
  kpiKeys(out, `${p}loyalty`, s.loyalty);
  const o = s.ops;
  out[`${p}ops.reports`] = o.reports;
  out[`${p}ops.visitors`] = o.visitors;
  out[`${p}ops.receipts`] = o.receipts;
  for (const f of ['coverage', 'conversion', 'service_level', 'abandon_rate', 'aht']) kpiKeys(out, `${p}ops.${f}`, o[f]);
  for (const f of ['wait', 'first_response', 'resolution']) {
    kpiKeys(out, `${p}ops.${f}`, o[f].mean);
    out[`${p}ops.${f}.median`] = o[f].median;
  }
  out[`${p}complaints`] = s.complaints.count;
  kpiKeys(out, `${p}complaints.resolved`, s.complaints.resolved);
  kpiKeys(out, `${p}complaints.ttr`, s.complaints.time_to_resolve.mean);
  out[`${p}complaints.ttr.median`] = s.complaints.time_to_resolve.median;
  out[`${p}complaints.by_category`] = s.complaints.by_category.map((c) => `${c.id}:${c.count}`).join(',');
}

/** The report flattened to `key → number | string | null`. */
export function kpiDigest(r) {
  const out = {};
  setKeys(out, 'o.', r.overall);
  if (r.previous) {
    out['p.period'] = `${r.previous.period.start_ms}..${r.previous.period.end_ms}`;
    setKeys(out, 'p.', r.previous.kpis);
  }
  for (const [tag, list] of [
    ['L', r.by_location],
    ['E', r.by_employee],
    ['Q', r.by_questionnaire],
  ]) {
    out[`${tag}.ids`] = list.map((b) => b.id).join(',');
    for (const b of list) setKeys(out, `${tag}.${b.id}.`, b.kpis);
  }
  out['T.labels'] = r.trend.map((t) => `${t.bucket.label}@${t.bucket.start_ms}..${t.bucket.end_ms}`).join(',');
  for (const t of r.trend) setKeys(out, `T.${t.bucket.label}.`, t.kpis);
  out['S.ids'] = r.sections.map((x) => `${x.questionnaire_id}/${x.section_id}`).join(',');
  for (const x of r.sections) {
    kpiKeys(out, `S.${x.questionnaire_id}/${x.section_id}`, x.score);
    out[`S.${x.questionnaire_id}/${x.section_id}.crit`] = x.critical_failures;
  }
  const spots = (p, list) => {
    out[`${p}.ids`] = list.map((w) => `${w.questionnaire_id}/${w.section_id}/${w.question_id}:${w.failed}`).join(',');
    for (const w of list) kpiKeys(out, `${p}.${w.questionnaire_id}/${w.question_id}`, w.fail_rate);
  };
  spots('W', r.weak_spots);
  out['WL.ids'] = r.weak_spots_by_location.map((w) => w.location_id).join(',');
  for (const w of r.weak_spots_by_location) spots(`WL.${w.location_id}`, w.items);
  for (const [name, list] of Object.entries(r.rankings)) {
    out[`R.${name}`] = list.map((e) => `${e.id}:${e.rank ?? '-'}`).join(',');
  }
  return out;
}

/** Keys where two digests differ: a missing key, another string, or
 * numbers further apart than `rel` of their size. */
export function kpiDiff(a, b, rel = 1e-9) {
  const out = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[key];
    const y = b[key];
    if (!(key in a) || !(key in b)) out.push(`${key}: ${JSON.stringify(x)} vs ${JSON.stringify(y)} (missing)`);
    else if (typeof x === 'number' && typeof y === 'number') {
      if (Math.abs(x - y) > rel * Math.max(1, Math.abs(x), Math.abs(y))) out.push(`${key}: ${x} vs ${y}`);
    } else if (x !== y) out.push(`${key}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  }
  return out;
}
