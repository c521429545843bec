"""Statistics, rankings and reports (统计、排名、通报): the supervision figures of a hall, a
department, a window, a clerk or the whole county, and the reports made from them."""
