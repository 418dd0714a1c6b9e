export * from "./isoDate.ts";
export * from "./holidayCalendar.ts";
export * from "./workingDays.ts";
export * from "./files.ts";
