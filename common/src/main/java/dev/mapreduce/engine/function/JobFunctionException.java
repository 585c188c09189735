package dev.mapreduce.engine.function;

/** A job names a function or a function parameter that does not exist or is not valid. */
public class JobFunctionException extends IllegalArgumentException {

    public JobFunctionException(String message) {
        super(message);
    }
}
