package dev.mapreduce.engine.sql;

/** A named, typed output column of a query. */
public record ResultColumn(String name, SqlType type) {}
