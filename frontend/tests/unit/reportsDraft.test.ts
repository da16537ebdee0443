import { describe, expect, test } from "vitest";
import {
  emptyIndicator,
  indicatorProgress,
  isDirty,
  type ReportContent,
  sentIndicatorKeys,
  toDraft,
  toNumber,
  toUpdate,
  validateDraft,
} from "@/features/reports/reportDraft";
import { daysUntil, dueWording, nextToWrite, type Report } from "@/features/reports/reportState";

const MESSAGES = { required: "Required", notANumber: "NaN", url: "URL", ratingForEvidence: "Rate it" };

const CONTENT: ReportContent = {
  stage: "in_progress",
  narrative: "Two trainings held",
  challenges: "",
  good_practices: "",
  next_steps: "",
  impact: { fairness: { rating: 4, evidence: "Guidance adopted" } },
  indicators: [{ name: "Officers trained", unit: "people", baseline: 0, target: 40, actual: 32 }],
  links: [{ title: "Training report", url: "https://example.org/report.pdf" }],
};

describe("report drafts", () => {
  test("a report becomes a draft and back without change", () => {
    const draft = toDraft(CONTENT);
    expect(draft.impact.efficiency).toEqual({ rating: null, evidence: "" });
    expect(toUpdate(draft)).toEqual(CONTENT);
    expect(isDirty(draft, CONTENT)).toBe(false);
    expect(isDirty({ ...draft, narrative: "Three trainings held" }, CONTENT)).toBe(true);
  });

  test("the body leaves out blank indicator rows, empty links and unrated qualities; numbers typed with a comma count", () => {
    const draft = toDraft(CONTENT);
    draft.indicators.push(emptyIndicator(), { ...emptyIndicator(), name: "Decisions reviewed", actual: "12,5" });
    draft.links.push({ key: "l", title: " ", url: "" });
    draft.impact.integrity = { rating: null, evidence: "" };
    const body = toUpdate(draft);
    expect(body.indicators).toEqual([
      { name: "Officers trained", unit: "people", baseline: 0, target: 40, actual: 32 },
      { name: "Decisions reviewed", unit: "", baseline: null, target: null, actual: 12.5 },
    ]);
    expect(body.links).toHaveLength(1);
    expect(Object.keys(body.impact ?? {})).toEqual(["fairness"]);
  });

  test("problems are found before sending, keyed like the server's errors (positions of the rows sent)", () => {
    const draft = toDraft(CONTENT);
    const blank = emptyIndicator();
    const unnamed = { ...emptyIndicator(), unit: "days", target: "abc" };
    draft.indicators = [blank, ...draft.indicators, unnamed];
    draft.links.push({ key: "l2", title: "", url: "ftp://example.org" });
    draft.impact.adaptability = { rating: null, evidence: "Remote interviews" };
    expect(validateDraft(draft, MESSAGES)).toEqual({
      "indicators.1.name": "Required",
      "indicators.1.target": "NaN",
      "links.1.title": "Required",
      "links.1.url": "URL",
      "impact.adaptability.rating": "Rate it",
    });
    // The server's `indicators.1` is the second row sent: the unnamed one, not the blank row.
    expect(sentIndicatorKeys(draft)).toEqual([draft.indicators[1]?.key, unnamed.key]);
    expect(validateDraft(toDraft(CONTENT), MESSAGES)).toEqual({});
  });

  test("numbers", () => {
    expect(toNumber("")).toBeNull();
    expect(toNumber(" 3,25 ")).toBe(3.25);
    expect(toNumber("x")).toBeNull();
    expect(toNumber(7)).toBe(7);
  });

  test("progress runs from the baseline (0) to the target (1)", () => {
    expect(indicatorProgress({ baseline: 0, target: 40, actual: 32 })).toBeCloseTo(0.8);
    expect(indicatorProgress({ baseline: 10, target: 20, actual: 25 })).toBeCloseTo(1.5);
    // A figure that should go down (a backlog): from 1000 to 200, now 600, half way.
    expect(indicatorProgress({ baseline: 1000, target: 200, actual: 600 })).toBeCloseTo(0.5);
    expect(indicatorProgress({ baseline: null, target: 10, actual: 5 })).toBeCloseTo(0.5);
    expect(indicatorProgress({ baseline: 5, target: 5, actual: 5 })).toBeNull();
    expect(indicatorProgress({ baseline: 0, target: null, actual: 5 })).toBeNull();
    expect(indicatorProgress({ baseline: 0, target: 10, actual: null })).toBeNull();
  });
});

describe("due dates", () => {
  const today = new Date(2027, 6, 1, 15, 30);
  const report = (status: Report["status"], due_on: string) => ({ status, due_on });

  test("days are counted on the calendar, whatever the time of day", () => {
    expect(daysUntil("2027-07-01", today)).toBe(0);
    expect(daysUntil("2027-07-13", today)).toBe(12);
    expect(daysUntil("2027-06-26", today)).toBe(-5);
  });

  test("a report being written says when it is due; a submitted one does not", () => {
    expect(dueWording(report("not_yet_due", "2027-07-13"), today)).toEqual({ key: "dueIn", days: 12 });
    expect(dueWording(report("due", "2027-07-01"), today)).toEqual({ key: "dueToday", days: 0 });
    expect(dueWording(report("overdue", "2027-06-26"), today)).toEqual({ key: "overdueBy", days: 5 });
    expect(dueWording(report("sent_back", "2027-06-26"), today)).toEqual({ key: "overdueBy", days: 5 });
    expect(dueWording(report("submitted", "2027-06-26"), today)).toBeNull();
    expect(dueWording(report("published", "2027-06-26"), today)).toBeNull();
  });

  test("the next report to write is the oldest period still open", () => {
    const reports = [
      { status: "not_yet_due", period_start: "2027-07-01" },
      { status: "accepted", period_start: "2026-07-01" },
      { status: "sent_back", period_start: "2027-01-01" },
    ] as Report[];
    expect(nextToWrite(reports)?.period_start).toBe("2027-01-01");
    expect(nextToWrite([])).toBeUndefined();
  });
});
