/**
 * How many new upstream pulls each client of a mirror may start: a bucket per
 * client address that refills evenly over a minute, so a burst of one model's
 * files passes and a client walking the whole Hub does not.
 *
 * @module
 */
/**
 * The pull budget of every client.
 */
export declare class PullRate {
    #private;
    /** A budget of `perMinute` new pulls a minute per client, timed by `now`. */
    constructor(options: {
        perMinute: number;
        now?: () => number;
    });
    /**
     * Takes one pull from `client`'s budget; `false` when it is spent.
     */
    admit(client: string): boolean;
}
