// Every mutation the app defines, loaded with the sync engine: a change waiting in the
// outbox is replayed on top of the server's rows by its definition, so each must be
// registered before the first sync, whichever page opened first.
import './account/profile';
import './attendance/mutations';
import './booking/mutations';
import './evaluation/mutations';
