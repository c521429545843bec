"""The hall's queue: tickets, appointments, calling across windows, the hall display feed."""
