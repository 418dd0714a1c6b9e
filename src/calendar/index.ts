export * from "./isoDate.ts";
export * from "./holidayCalendar.ts";
export * from "./workingDays.ts";
