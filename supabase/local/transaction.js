// @ts-check
// One transaction on a connection of its own. postgres.js 3.4.9's `sql.begin` can send BEGIN
// without reserving the connection when the connection's pipeline or socket is full (under a
// few hundred concurrent requests: porsager/postgres#1189, #823); the request then fails with
// UNSAFE_TRANSACTION and its transaction stays open on a pooled connection, where other
// requests' queries would run inside it. Reserving the connection first closes that gap.

/**
 * Runs `work` inside BEGIN … COMMIT on a reserved connection; rolls back and rethrows on error.
 * @template T
 * @param {import('postgres').Sql} sql
 * @param {(tx: import('postgres').ReservedSql) => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function inTransaction(sql, work) {
	const tx = await sql.reserve();
	try {
		await tx`begin`;
		try {
			const result = await work(tx);
			await tx`commit`;
			return result;
		} catch (error) {
			await tx`rollback`.catch(() => {});
			throw error;
		}
	} finally {
		tx.release();
	}
}
