"""Clinical records (emergencies, health services) are not edited in admin: they are changed in the app, where every change is kept in their history."""
