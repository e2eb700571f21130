"""Clinical records (emergencies, health services) are not edited in admin.

They change in the app, where every change is kept in their history.
"""
