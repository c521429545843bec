"""F6 (统计): the figures of a period for the hall, a department, a window or a clerk, with
terminal charts, and the supervisor's view of what is due (督办)."""
