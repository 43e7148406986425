import { app } from "./api/app.ts";

export { Account } from "./durable/account.ts";
export default app;
